#include "instantly/client.hpp"

#include <cstdlib>
#include <utility>

#include "core/client_core.hpp"
#include "core/event_sink.hpp"
#include "core/json_page.hpp"
#include "core/resource_call.hpp"
#include "json/document.hpp"

namespace instantly {
namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

bool looks_like_json(const HttpResponse& response) {
  if (auto type = response.headers.get("Content-Type")) {
    return type->find("json") != std::string::npos;
  }
  const auto first = response.body.find_first_not_of(" \t\r\n");
  return first != std::string::npos && (response.body[first] == '{' || response.body[first] == '[');
}

// JSON as Json, an empty body as null, anything else (CSV exports) as a string.
Json decode_body(const HttpResponse& response) {
  const bool blank = response.body.find_first_not_of(" \t\r\n") == std::string::npos;
  if (!blank && !looks_like_json(response)) return Json(response.body);
  return detail::parse_json_body(response);
}

}  // namespace

Client::Client(ClientOptions options)
    : ResourceAccessors(std::make_shared<detail::ClientCore>(std::move(options))) {}

Client Client::from_env(ClientOptions overrides) {
  const ClientOptions defaults;
  if (overrides.api_key.empty()) overrides.api_key = env("INSTANTLY_API_KEY").value_or("");
  if (overrides.base_url == defaults.base_url) {
    overrides.base_url = env("INSTANTLY_BASE_URL").value_or(defaults.base_url);
  }
  if (!overrides.workspace) overrides.workspace = env("INSTANTLY_WORKSPACE");
  return Client(std::move(overrides));
}

HttpResponse Client::request_raw(std::string_view method, std::string_view path,
                                 RequestOptions options) const {
  return shared_core()->execute(method, path, options);
}

Json Client::request(std::string_view method, std::string_view path, RequestOptions options) const {
  return decode_body(shared_core()->execute(method, path, options));
}

Paginator<Json> Client::paginate(std::string_view method, std::string_view path,
                                 RequestOptions options, CursorIn cursor_in) const {
  // Listing only reads, even when the endpoint is a POST (`/leads/list`).
  if (!options.idempotent) options.idempotent = true;
  auto fetch = [core = shared_core(), method = std::string(method), path = std::string(path),
                options = std::move(options),
                cursor_in](const std::optional<std::string>& cursor) {
    const RequestOptions call = detail::with_cursor(options, cursor, cursor_in);
    return detail::decode_document<Page<Json>>(core->execute(method, path, call).body);
  };
  return Paginator<Json>(std::move(fetch));
}

const std::string& Client::base_url() const noexcept { return shared_core()->options().base_url; }

const ClientOptions& Client::options() const noexcept { return shared_core()->options(); }

const std::optional<std::string>& Client::workspace() const noexcept {
  return shared_core()->options().workspace;
}

bool Client::observed() const noexcept { return shared_core()->events() != nullptr; }

void Client::notify(const WorkflowEvent& event) const noexcept {
  if (const detail::EventSink* events = shared_core()->events()) events->workflow(event);
}

}  // namespace instantly
