// instantly-mock's routing of a request line it did not choose: the operation
// table's match_operation for the API, AdminRouter for /__mock/ routes, and
// the handler tables of the stateful areas.
//
// Input: first line the method, the rest the path (query and fragment allowed).
//
// Invariants, checked against a plain re-implementation of the rules in
// validation/operations.hpp: a matched operation has the request's method and
// fits the path segment by segment (a `{param}` never matches an empty
// segment); no operation fits when nothing matched; of the fitting operations
// the match is the one literal where the others first have a parameter.
// Admin path parameters are never empty and never span a '/'.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_support.hpp"
#include "handlers/handlers.hpp"
#include "router.hpp"
#include "validation/operations.hpp"

namespace {

using instantly::fuzz::require;
namespace validation = instantly::detail::validation;

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (true) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return out;
    path.remove_prefix(slash + 1);
  }
}

bool is_parameter(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

/// Whether `path` fits `pattern`; `shape` gets one flag per segment, true for a parameter.
bool fits(std::string_view pattern, std::string_view path, std::vector<bool>& shape) {
  const auto want = segments(pattern);
  const auto got = segments(path);
  if (want.size() != got.size()) return false;
  shape.clear();
  for (std::size_t i = 0; i < want.size(); ++i) {
    const bool parameter = is_parameter(want[i]);
    if (parameter ? got[i].empty() : want[i] != got[i]) return false;
    shape.push_back(parameter);
  }
  return true;
}

void check_api_route(std::string_view method, std::string_view path) {
  const validation::OperationSchema* matched = validation::match_operation(method, path);
  const std::string_view bare = path.substr(0, path.find_first_of("?#"));
  std::vector<bool> matched_shape;
  if (matched) {
    require(matched->method == method, "matched an operation of another method");
    require(fits(matched->path, bare, matched_shape), "matched an operation whose path does not fit");
    require(validation::find_operation(matched->operation_id) == matched, "find_operation disagrees with the table");
  }
  for (const validation::OperationSchema& operation : validation::all_operations()) {
    std::vector<bool> shape;
    if (operation.method != method || !fits(operation.path, bare, shape)) continue;
    require(matched != nullptr, "an operation fits but nothing matched");
    // The first segment where the two differ in kind must be literal in the match.
    for (std::size_t i = 0; i < shape.size() && shape.size() <= 64; ++i) {
      if (shape[i] == matched_shape[i]) continue;
      require(!matched_shape[i], "a {param} segment beat a literal one");
      break;
    }
  }
}

struct Routes {
  instantly::mock::Router api;
  instantly::mock::AdminRouter admin;
  Routes() {
    // The areas that need no running services (the webhook area needs a dispatcher thread).
    instantly::mock::register_campaign_handlers(api, admin);
    instantly::mock::register_email_handlers(api, admin);
    instantly::mock::register_lead_handlers(api, admin);
    instantly::mock::register_account_handlers(api, admin);
    instantly::mock::register_workspace_handlers(api, admin);
    instantly::mock::register_poller_handlers(api, admin);
  }
};

void check_handlers(std::string_view method, std::string_view path) {
  static const Routes routes;
  if (const auto* operation = validation::match_operation(method, path)) {
    (void)routes.api.find(operation->operation_id);
    (void)routes.api.find_preparer(operation->operation_id);
  }
  // The server hands admin routes the path after /__mock (mock_server.cpp).
  constexpr std::string_view kAdminPrefix = "/__mock";
  if (!path.starts_with(kAdminPrefix)) return;
  std::vector<std::pair<std::string, std::string>> params;
  if (routes.admin.match(method, path.substr(kAdminPrefix.size()), params)) {
    for (const auto& [name, value] : params) {
      require(!name.empty(), "an admin path parameter without a name");
      require(!value.empty(), "an empty admin path parameter");
      require(value.find('/') == std::string::npos, "an admin path parameter spans a '/'");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  instantly::fuzz::LineReader reader{instantly::fuzz::as_text(data, size)};
  const std::string_view method = reader.next_line();
  const std::string_view path = reader.rest;
  instantly::fuzz::expect_only_library_errors([&] {
    check_api_route(method, path);
    check_handlers(method, path);
  });
  return 0;
}
