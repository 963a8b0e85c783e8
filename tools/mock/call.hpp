// One API request as handlers see it (routed, authenticated and validated),
// and the reply they return.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "instantly/json.hpp"
#include "validation/operations.hpp"

namespace instantly::mock {

struct Call {
  const detail::validation::OperationSchema* operation = nullptr;
  /// Path parameters by name, percent-decoded: {"id", "abc"}.
  std::vector<std::pair<std::string, std::string>> path_params;
  /// The query string, split and percent-decoded, in order.
  std::vector<std::pair<std::string, std::string>> query;
  /// The JSON body; std::nullopt when none was sent.
  std::optional<Json> body;
  /// Who called: the Bearer key and the `x-as-workspace` header (may be empty).
  std::string api_key;
  std::string workspace;
  /// What the operation's Preparer made of this request before the state lock
  /// was taken (router.hpp); empty for operations without one.
  std::shared_ptr<void> prepared;

  /// A path parameter ("" when the operation has none of that name).
  const std::string& param(std::string_view name) const;
  /// The first query value for `key`.
  std::optional<std::string> query_value(std::string_view key) const;
  /// Every value of a repeated query key (`ids=a&ids=b`).
  std::vector<std::string> query_values(std::string_view key) const;
  /// The body, or an empty object when none was sent.
  const Json& body_or_empty() const;
  /// A body member, or nullptr.
  const Json* field(std::string_view key) const;
};

/// What a handler answers. `body` null with status 204 sends nothing.
struct Reply {
  int status = 200;
  Json body;
  bool empty = false;  ///< no body at all (204, or 202 without content)

  static Reply json(Json body, int status = 200) { return Reply{status, std::move(body), false}; }
  static Reply no_content(int status = 204) { return Reply{status, Json(), true}; }
};

}  // namespace instantly::mock
