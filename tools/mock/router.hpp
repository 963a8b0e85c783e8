// Which code answers which request.
//
// API operations are routed by operationId (the generated operation table
// matches the path); an operation without a handler gets a body built from
// its response schema (sample_responses.hpp). Admin routes under /__mock/ are
// matched by method and a path pattern with `{name}` segments.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "call.hpp"
#include "state.hpp"

namespace instantly::mock {

/// Runs with the state lock held. Throws HttpError for an error answer.
using Handler = std::function<Reply(const Call&, State&)>;

/// Runs before the state lock is taken, on the request alone (no State), and
/// hands its result to the handler as Call::prepared. For operations whose
/// per-item work is heavy (a 1,000-lead /leads/add): doing it here lets other
/// requests use the state meanwhile. It may move what it keeps out of the
/// call's body (saving a copy of every lead); it must leave the members the
/// handler reads. Throws HttpError for an error answer.
using Preparer = std::function<std::shared_ptr<void>(Call&)>;

/// Lets the handler tables be searched by string_view without making a string
/// on every request.
struct OperationIdHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view id) const noexcept { return std::hash<std::string_view>{}(id); }
};

class Router {
 public:
  /// Registers the handler of an operation; a second registration replaces the first.
  void on(std::string_view operation_id, Handler handler);
  /// Registers a handler with a preparer that runs before it, outside the lock.
  void on(std::string_view operation_id, Preparer preparer, Handler handler);
  const Handler* find(std::string_view operation_id) const;
  /// The operation's preparer, or nullptr when it has none.
  const Preparer* find_preparer(std::string_view operation_id) const;

 private:
  std::unordered_map<std::string, Handler, OperationIdHash, std::equal_to<>> handlers_;
  std::unordered_map<std::string, Preparer, OperationIdHash, std::equal_to<>> preparers_;
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
