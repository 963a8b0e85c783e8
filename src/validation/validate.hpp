// Checks a request against the schemas of schema.hpp. Two callers: the SDK
// before sending (opt-in) and the mock server, which answers 400 with the
// same messages, so every message names the field and the rule in plain words.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "instantly/json.hpp"
#include "validation/schema.hpp"

namespace instantly::detail::validation {

/// One broken rule.
struct Issue {
  std::string path;     ///< where: `body.leads[3].email`, `query.limit`
  std::string message;  ///< the whole sentence, path included:
                        ///< `body.leads[3].email must be a valid email address`
};

/// At most this many issues are reported for one request: enough to fix
/// several mistakes at once, few enough to keep an error message readable.
inline constexpr std::size_t kMaxIssues = 20;

/// Every rule `value` breaks (up to kMaxIssues), in document order with
/// `required` checks before a node's members. Empty when the value is valid.
/// `root` names the value in paths: "body", "query.ids", ...
///
/// anyOf / oneOf: when no branch matches and only one branch accepts the
/// value's JSON type, that branch's issues are reported (they are the
/// useful ones); otherwise a single "does not match any allowed shape".
std::vector<Issue> validate(const Json& value, const Schema& schema, std::string_view root = "body");

/// One query parameter of an operation, as the generator emits it:
///
///   const Schema q_limit{.types = kInteger, .minimum = 1, .maximum = 100};
///   const Schema q_id_item{.types = kString, .format = Format::Email};
///   const Schema q_ids{.types = kArray, .items = &q_id_item, .max_items = 200};
///   const QueryParam list_widgets_query[] = {
///       {"limit", false, &q_limit, false},
///       {"ids", true, &q_ids, true},
///   };
struct QueryParam {
  const char* name;
  bool required;
  const Schema* schema;  ///< nullptr: any value
  /// An array parameter, sent as repeated keys (`ids=a&ids=b`); `schema` is
  /// then the array schema and its `items` the schema of one value.
  bool repeated;
};

/// Checks a query string that has already been split and percent-decoded.
/// Values are converted to the type their schema asks for (integer, number,
/// boolean, null; otherwise kept as strings) before validation; a value that
/// does not convert is an issue. Missing required parameters, keys the
/// operation does not know, and a non-array parameter given twice are issues
/// too (the API rejects all of them). Paths start with "query.".
std::vector<Issue> validate_query(const std::vector<std::pair<std::string, std::string>>& query,
                                  std::span<const QueryParam> params);

/// The issues as one line: "body.name is required; body.tags must have at most 3 items (got 4)".
std::string describe_issues(const std::vector<Issue>& issues);

/// Throws `instantly::ValidationError` reading
/// "invalid request for createCampaign: body.name is required; ...".
[[noreturn]] void throw_validation_error(std::string_view operation, const std::vector<Issue>& issues);

// Diagnostics for the pattern cache. Each distinct pattern text is compiled
// once, on first use, and kept for the life of the process. A pattern
// std::regex cannot compile (lookbehind, named groups, ...) is remembered as
// unusable and its check skipped, so a bad pattern never crashes a request.

/// Whether `pattern` compiles with std::regex (compiling it now if new).
bool pattern_is_usable(std::string_view pattern);
/// How many times a pattern has been compiled so far (a cache miss count).
std::size_t pattern_compile_count() noexcept;

}  // namespace instantly::detail::validation
