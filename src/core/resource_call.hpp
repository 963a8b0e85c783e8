// What the generated resource methods (src/generated/resources/*.cpp) share, so
// each of them reads as: build the path, query and body; send; decode.
//
//   Campaign Campaigns::get(std::string_view id, RequestOptions options) const {
//     const HttpResponse response = detail::send(*core_, {
//         .operation_id = "getCampaign",
//         .method = "GET",
//         .path = "/api/v2/campaigns/" + detail::percent_encode(id),
//     }, std::move(options));
//     return detail::decode_document<Campaign>(response.body);
//   }
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/client_core.hpp"
#include "core/url.hpp"
#include "instantly/client.hpp"
#include "instantly/nullable.hpp"
#include "instantly/open_enum.hpp"
#include "instantly/page.hpp"

namespace instantly::detail {

// ---- query strings -----------------------------------------------------------------------
//
// One overload per field type of the generated params structs. Values go out as
// the API reads them: booleans as true/false, integer enums as their number,
// doubles in their shortest exact form (1.5, 2), arrays as repeated keys
// (`ids=a&ids=b`). Absent optionals and Nullables — null ones too, since a query
// string has no null — add nothing.

void add_query(QueryParams& query, std::string_view key, std::string value);
void add_query(QueryParams& query, std::string_view key, std::int64_t value);
void add_query(QueryParams& query, std::string_view key, double value);
void add_query(QueryParams& query, std::string_view key, bool value);

template <class E>
  requires std::is_enum_v<E>
void add_query(QueryParams& query, std::string_view key, E value) {
  add_query(query, key, static_cast<std::int64_t>(value));
}

template <class E>
  requires std::derived_from<E, StringEnum<E>>
void add_query(QueryParams& query, std::string_view key, const E& value) {
  add_query(query, key, value.value());
}

template <class T>
void add_query(QueryParams& query, std::string_view key, const std::vector<T>& values) {
  for (const T& value : values) add_query(query, key, value);
}

template <class T>
void add_query(QueryParams& query, std::string_view key, const std::optional<T>& value) {
  if (value) add_query(query, key, *value);
}

template <class T>
void add_query(QueryParams& query, std::string_view key, const Nullable<T>& value) {
  if (value.has_value()) add_query(query, key, *value);
}

// ---- sending -----------------------------------------------------------------------------

/// One typed call, as a generated method builds it.
struct Call {
  std::string_view operation_id;  ///< names the call in validation errors
  std::string_view method;
  std::string path;  ///< path parameters already percent-encoded
  QueryParams query;
  /// The params' body fields as a JSON object; "{}" (nothing set) sends no body.
  std::optional<std::string> body;
  /// Whether a retry is safe regardless of the method (e.g. a POST that only
  /// reads); empty = decided by the method. The caller's `options.idempotent` wins.
  std::optional<bool> idempotent;
  /// The media type the operation answers in, sent as `Accept` unless the caller set one.
  std::string_view accept = "application/json";
};

/// Sends `call` with the caller's per-call options: `options.query` is appended
/// to the call's query, `options.body` members are merged into its body (and
/// win on a clash), the request is validated when `ClientOptions::validate_requests`
/// is set, and the successful response is returned. Throws like `ClientCore::execute`,
/// and `ValidationError` for a request that breaks the API's schema.
HttpResponse send(const ClientCore& core, Call call, RequestOptions options);

/// A JSON response body as a Json value; an empty body reads as null.
Json parse_json_body(const HttpResponse& response);

// ---- created objects ---------------------------------------------------------------------

inline bool has_created_id(const std::string& id) noexcept { return !id.empty(); }
template <class T>
bool has_created_id(const std::optional<T>& id) noexcept {
  return id.has_value() && has_created_id(*id);
}
template <class T>
bool has_created_id(const Nullable<T>& id) noexcept {
  return id.has_value() && has_created_id(*id);
}

/// Throws the DecodeError for a create answer without the new object's id.
[[noreturn]] void throw_missing_created_id(std::string_view operation_id);

/// A create call's answer must name the object it made: without its id the
/// caller can neither find the object nor tell that it exists, so a missing or
/// empty `id` is a DecodeError at `$.id`. Every other member stays as lenient as
/// in any model (the live API leaves some out).
template <class T>
T require_created_id(T created, std::string_view operation_id) {
  if (!has_created_id(created.id)) throw_missing_created_id(operation_id);
  return created;
}

/// A Paginator over a list operation: each page is `fetch_page(params)` with
/// `params.starting_after` set to that page's cursor. A cursor the caller put
/// in `params` is where the listing starts.
template <class Item, class Params, class FetchPage>
Paginator<Item> paginate(Params params, FetchPage fetch_page) {
  std::optional<std::string> start = params.starting_after;
  auto fetch = [params = std::move(params), fetch_page = std::move(fetch_page)](
                   const std::optional<std::string>& cursor) {
    Params page = params;
    page.starting_after = cursor;
    return fetch_page(page);
  };
  return Paginator<Item>(std::move(fetch), std::move(start));
}

// ---- pieces of `send`, exposed for tests -------------------------------------------------

/// The body to send: `encoded` (a JSON object from the params) with the members
/// of `extra` (the caller's `RequestOptions::body`) set on top. Nothing when
/// neither has a member. Throws `ValidationError` when `extra` is not an object
/// but has to be merged into one.
std::optional<std::string> merge_body(std::optional<std::string> encoded,
                                      const std::optional<Json>& extra);

/// Checks the request against the operation's schema when the client was built
/// with `validate_requests`; does nothing otherwise. Throws `ValidationError`.
void validate_request_if_enabled(const ClientCore& core, std::string_view operation_id,
                                 const QueryParams& query, const std::optional<std::string>& body);

}  // namespace instantly::detail
