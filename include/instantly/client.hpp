// instantly::Client — the entry point.
//
//   instantly::Client client({.api_key = key});
//   instantly::Campaign campaign = client.campaigns().get(id);  // one typed method per operation
//   instantly::Json campaigns = client.request("GET", "/api/v2/campaigns", {.query = {{"limit", "5"}}});
//
// The resource accessors (`campaigns()`, `leads()`, ...) come from the generated
// base `detail::ResourceAccessors`; their classes are only forward-declared
// here, so include "instantly/instantly.hpp" (or "instantly/resources.hpp") to
// call them.
//
// A Client is a handle to a shared core (options, transport, rate limiter):
// copying it is cheap, copies share connections and limits, and one Client may
// be used from many threads at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/observer.hpp"
#include "instantly/options.hpp"
#include "instantly/page.hpp"
#include "instantly/resources/accessors.hpp"
#include "instantly/transport.hpp"

namespace instantly {

/// Query parameters in order; a key may repeat (`ids=a&ids=b`).
using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// Per-call settings; anything left empty falls back to the ClientOptions.
struct RequestOptions {
  QueryParams query;
  /// JSON body. Sent (with `Content-Type: application/json`) only when set and
  /// not an empty object, because action and DELETE endpoints reject bodies.
  std::optional<Json> body;
  /// Extra headers; they replace same-named defaults except `Authorization`.
  HttpHeaders headers;
  std::optional<std::chrono::milliseconds> timeout;
  std::optional<int> max_retries;
  /// Overrides ClientOptions::max_response_bytes for this call (a large export, say).
  std::optional<std::size_t> max_response_bytes;
  /// Overrides the method's idempotency for retry decisions; e.g. a POST that
  /// only reads (`/leads/list`) or is safe to repeat (`/leads/add`).
  std::optional<bool> idempotent;
  /// Stops the call when requested (from any thread): a wait for the rate
  /// limiter or before a retry ends at once, a transfer in flight is
  /// abandoned, nothing more is sent, and the call throws CancelledError. An
  /// answer that already arrived is still returned (or its error thrown).
  std::stop_token stop;
  /// On a stop, let a transfer already in flight finish instead of abandoning
  /// it, so that its answer is known: for bulk jobs that must account for
  /// every request they sent. Waits still end at once and nothing more is sent.
  bool finish_transfer_on_stop = false;
};

/// Where a list endpoint takes its `limit` / `starting_after` cursor.
enum class CursorIn { Query, Body };

class Client : public detail::ResourceAccessors {
 public:
  /// Throws `ValidationError` when the API key or base URL is missing or malformed.
  explicit Client(ClientOptions options);

  /// Options from the environment: `INSTANTLY_API_KEY`, `INSTANTLY_BASE_URL`,
  /// `INSTANTLY_WORKSPACE`. Fields already set in `overrides` win.
  static Client from_env(ClientOptions overrides = {});

  /// Sends one request to `path` (relative to the base URL, e.g. "/api/v2/campaigns")
  /// with retries and rate limiting, and returns the decoded body: JSON as
  /// `Json`, other text as a `Json` string, an empty body as null.
  /// Throws the `ApiError` subclass for the status, `ApiConnectionError`, or `DecodeError`.
  Json request(std::string_view method, std::string_view path, RequestOptions options = {}) const;

  /// Like `request`, but returns the raw response (CSV exports, custom decoding).
  /// Error statuses still throw.
  HttpResponse request_raw(std::string_view method, std::string_view path,
                           RequestOptions options = {}) const;

  /// Every item of a list endpoint, fetched page by page as you iterate.
  /// `options.query` / `options.body` carry filters and `limit`; the cursor
  /// goes where `cursor_in` says.
  Paginator<Json> paginate(std::string_view method, std::string_view path,
                           RequestOptions options = {}, CursorIn cursor_in = CursorIn::Query) const;

  const std::string& base_url() const noexcept;
  const std::optional<std::string>& workspace() const noexcept;
  /// The options this client was built with (shared by its copies): what
  /// workflows built on a client read its clock and retry policy from. Empty
  /// `transport`, `clock` and `rate_limiter` mean the defaults.
  const ClientOptions& options() const noexcept;

  /// Whether anything listens to this client's events (an observer, or a
  /// logger); workflows ask before they build an event.
  bool observed() const noexcept;
  /// Hands a workflow's event to the client's observer and logger, as the
  /// client does with its own events (instantly/observer.hpp). Never throws.
  void notify(const WorkflowEvent& event) const noexcept;
};

}  // namespace instantly
