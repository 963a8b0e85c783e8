#include "core/error_mapping.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "instantly/json.hpp"
#include "instantly/version.hpp"

namespace instantly::detail {
namespace {

constexpr std::size_t kMaxTextMessage = 300;

std::string reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return status >= 500 ? "Server Error" : "HTTP Error";
  }
}

std::optional<Json> parse_json_object(std::string_view body) {
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || body[first] != '{') return std::nullopt;
  try {
    Json parsed = Json::parse(body);
    if (parsed.is_object()) return parsed;
  } catch (const DecodeError&) {
    // Not JSON after all: fall through to the plain-text treatment.
  }
  return std::nullopt;
}

// A message may be a string or, from validation failures, a list of strings.
std::string message_text(const Json& value) {
  if (value.is_string()) return value.as_string();
  if (value.is_array()) {
    std::string joined;
    for (const Json& item : value.as_array()) {
      if (!joined.empty()) joined += "; ";
      joined += item.is_string() ? item.as_string() : item.dump();
    }
    return joined;
  }
  return value.is_null() ? std::string() : value.dump();
}

// Edge errors come as text or HTML: keep a short, readable single line.
std::string text_summary(std::string_view body) {
  std::string out;
  bool in_tag = false;
  bool pending_space = false;
  for (char c : body) {
    if (c == '<') { in_tag = true; continue; }
    if (in_tag) { in_tag = c != '>'; pending_space = pending_space || !in_tag; continue; }
    if (std::isspace(static_cast<unsigned char>(c))) { pending_space = true; continue; }
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
    if (out.size() >= kMaxTextMessage) { out += "..."; break; }
  }
  return out;
}

bool is_cloudflare_user_agent_block(const HttpResponse& response) {
  return response.status == 403 && response.body.find("error code: 1010") != std::string::npos;
}

struct ErrorFields {
  std::string error;
  std::string message;
};

// Where a 3xx points, as an origin only ("https://host:port"): a path or query may carry
// tokens, and userinfo a password. Redirects are never followed, so the API key never leaves.
std::string redirect_target(const HttpResponse& response) {
  const std::optional<std::string> location = response.headers.get("Location");
  if (!location || location->empty()) return "nowhere (no Location header)";
  const std::string_view url = *location;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "a path on the same server";
  const auto authority_start = scheme_end + 3;
  const auto authority_end = url.find_first_of("/?#", authority_start);
  std::string_view authority = url.substr(authority_start, authority_end == std::string_view::npos
                                                               ? std::string_view::npos
                                                               : authority_end - authority_start);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  return std::string(url.substr(0, authority_start)) + std::string(authority);
}

ErrorFields read_error_fields(const HttpResponse& response) {
  ErrorFields fields;
  if (auto object = parse_json_object(response.body)) {
    if (const Json* error = object->find("error"); error && error->is_string()) {
      fields.error = error->as_string();
    }
    if (const Json* message = object->find("message")) fields.message = message_text(*message);
  } else {
    fields.message = text_summary(response.body);
  }
  if (fields.error.empty()) fields.error = reason_phrase(response.status);
  if (response.status >= 300 && response.status < 400) {
    fields.message = "unexpected redirect to " + redirect_target(response) + " (redirects are not followed)";
  } else if (is_cloudflare_user_agent_block(response)) {
    fields.error = "Forbidden";
    fields.message = std::string("blocked by Instantly's edge (Cloudflare error 1010): the User-Agent "
                                 "is missing or generic. Send a product User-Agent such as instantly-cpp/") +
                     kVersion + " (ClientOptions::user_agent); this is not an API key problem";
  } else if (fields.message.empty()) {
    switch (response.status) {
      case 401: fields.message = "the API key is missing, wrong or revoked"; break;
      case 402: fields.message = "the workspace has no paid plan or is out of credits"; break;
      case 403: fields.message = "the API key lacks the scope this call needs"; break;
      case 429: fields.message = "rate limit exceeded"; break;
      default: fields.message = fields.error; break;
    }
  }
  return fields;
}

template <class E>
[[noreturn]] void throw_as(int status, ErrorFields fields, std::string body, RequestInfo request) {
  throw E(status, std::move(fields.error), std::move(fields.message), std::move(body),
          std::move(request));
}

}  // namespace

std::string scrub_secret(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  static constexpr std::string_view kRedacted = "[redacted]";
  for (auto pos = text.find(secret); pos != std::string::npos;
       pos = text.find(secret, pos + kRedacted.size())) {
    text.replace(pos, secret.size(), kRedacted);
  }
  return text;
}

bool is_error_in_success_body(const HttpResponse& response) {
  if (response.status < 200 || response.status >= 300) return false;
  auto object = parse_json_object(response.body);
  if (!object) return false;
  const Json* error = object->find("error");
  if (!error || !error->is_string() || error->as_string().empty()) return false;
  static constexpr std::array<std::string_view, 5> kEnvelopeKeys = {
      "error", "message", "statusCode", "code", "details"};
  return std::all_of(object->as_object().begin(), object->as_object().end(), [](const auto& member) {
    return std::find(kEnvelopeKeys.begin(), kEnvelopeKeys.end(), member.first) != kEnvelopeKeys.end();
  });
}

void throw_api_error(const HttpResponse& response, RequestInfo request, std::string_view api_key,
                     std::optional<std::chrono::milliseconds> retry_after) {
  ErrorFields fields = read_error_fields(response);
  fields.error = scrub_secret(std::move(fields.error), api_key);
  fields.message = scrub_secret(std::move(fields.message), api_key);
  std::string body = scrub_secret(response.body, api_key);
  const int status = response.status;
  switch (status) {
    case 400: throw_as<BadRequestError>(status, std::move(fields), std::move(body), std::move(request));
    case 401: throw_as<AuthenticationError>(status, std::move(fields), std::move(body), std::move(request));
    case 402: throw_as<PaymentRequiredError>(status, std::move(fields), std::move(body), std::move(request));
    case 403: throw_as<PermissionDeniedError>(status, std::move(fields), std::move(body), std::move(request));
    case 404: throw_as<NotFoundError>(status, std::move(fields), std::move(body), std::move(request));
    case 409: throw_as<ConflictError>(status, std::move(fields), std::move(body), std::move(request));
    case 422: throw_as<UnprocessableEntityError>(status, std::move(fields), std::move(body), std::move(request));
    case 429:
      throw RateLimitError(status, std::move(fields.error), std::move(fields.message), std::move(body),
                           std::move(request), retry_after);
    default:
      if (status >= 500) {
        throw_as<InternalServerError>(status, std::move(fields), std::move(body), std::move(request));
      }
      throw_as<ApiError>(status, std::move(fields), std::move(body), std::move(request));
  }
}

void rethrow_connection_error(const ApiConnectionError& error, RequestInfo request,
                              std::string_view api_key) {
  std::string detail = scrub_secret(error.detail(), api_key);
  if (dynamic_cast<const ApiTimeoutError*>(&error) != nullptr) {
    throw ApiTimeoutError(detail, std::move(request), error.stage());
  }
  throw ApiConnectionError(error.stage(), detail, std::move(request));
}

}  // namespace instantly::detail
