// Which code answers which request.
//
// API operations are routed by operationId (the generated operation table
// matches the path); an operation without a handler gets a body built from
// its response schema (sample_responses.hpp). Admin routes under /__mock/ are
// matched by method and a path pattern with `{name}` segments.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "call.hpp"
#include "state.hpp"

namespace instantly::mock {

/// Runs with the state lock held. Throws HttpError for an error answer.
using Handler = std::function<Reply(const Call&, State&)>;

class Router {
 public:
  /// Registers the handler of an operation; a second registration replaces the first.
  void on(std::string_view operation_id, Handler handler);
  const Handler* find(std::string_view operation_id) const;

 private:
  std::unordered_map<std::string, Handler> handlers_;
};

/// An admin request: path parameters from the pattern, the query, the JSON body.
/// Handlers get the State unlocked and take the lock themselves (some wait on
/// other threads, e.g. for webhook deliveries to finish).
using AdminHandler = std::function<Reply(const Call&, State&)>;

class AdminRouter {
 public:
  /// `pattern` is the path after /__mock, e.g. "/accounts/{email}/state".
  void on(std::string method, std::string pattern, AdminHandler handler);
  /// The handler for `path` (after /__mock), filling `path_params`; nullptr if none.
  const AdminHandler* match(std::string_view method, std::string_view path,
                            std::vector<std::pair<std::string, std::string>>& path_params) const;
  /// "POST /reset", ... for the index page.
  std::vector<std::string> routes() const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    AdminHandler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace instantly::mock
