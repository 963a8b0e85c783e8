// parse_event: size limit, UTF-8, JSON, then the known fields by name into
// their typed members and every other member, in order, into `extra`.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/webhooks/event.hpp"
#include "json/kind_name.hpp"
#include "webhooks/utf8.hpp"

namespace instantly::webhooks {
namespace {

using instantly::detail::kind_with_article;

[[noreturn]] void wrong_type(std::string_view name, const Json& value, const char* expected) {
  throw DecodeError("webhook field " + std::string(name) + " is " + kind_with_article(value) + ", expected " + expected,
                    "$." + std::string(name));
}

std::string read_string(std::string_view name, const Json& value) {
  if (!value.is_string()) wrong_type(name, value, "a string");
  return value.as_string();
}

std::int64_t read_integer(std::string_view name, const Json& value) {
  if (value.is_int()) return value.as_int();
  if (value.is_double()) {
    const double number = value.as_double();
    // 2^63 is exactly representable; anything at or above it does not fit.
    if (std::isfinite(number) && number == std::trunc(number) && number >= -9223372036854775808.0 &&
        number < 9223372036854775808.0) {
      return static_cast<std::int64_t>(number);
    }
  }
  wrong_type(name, value, "an integer");
}

bool read_bool(std::string_view name, const Json& value) {
  if (!value.is_bool()) wrong_type(name, value, "a boolean");
  return value.as_bool();
}

// Assigns a known member to its field; false when `name` is not a known field.
bool read_known(Event& event, std::string_view name, const Json& value) {
  struct StringField {
    std::string_view name;
    std::optional<std::string> Event::*member;
  };
  static constexpr StringField kOptionalStrings[] = {
      {"lead_email", &Event::lead_email},
      {"email_account", &Event::email_account},
      {"unibox_url", &Event::unibox_url},
      {"email_id", &Event::email_id},
      {"email_subject", &Event::email_subject},
      {"email_text", &Event::email_text},
      {"email_html", &Event::email_html},
      {"reply_text_snippet", &Event::reply_text_snippet},
      {"reply_subject", &Event::reply_subject},
      {"reply_text", &Event::reply_text},
      {"reply_html", &Event::reply_html},
  };
  struct PlainField {
    std::string_view name;
    std::string Event::*member;
  };
  static constexpr PlainField kPlainStrings[] = {
      {"timestamp", &Event::timestamp},
      {"workspace", &Event::workspace},
      {"campaign_id", &Event::campaign_id},
      {"campaign_name", &Event::campaign_name},
  };

  for (const PlainField& field : kPlainStrings) {
    if (field.name != name) continue;
    event.*field.member = value.is_null() ? std::string() : read_string(name, value);
    return true;
  }
  for (const StringField& field : kOptionalStrings) {
    if (field.name != name) continue;
    if (value.is_null()) event.*field.member = std::nullopt;
    else event.*field.member = read_string(name, value);
    return true;
  }
  if (name == "step" || name == "variant") {
    std::optional<std::int64_t>& member = name == "step" ? event.step : event.variant;
    if (value.is_null()) member = std::nullopt;
    else member = read_integer(name, value);
    return true;
  }
  if (name == "is_first") {
    if (value.is_null()) event.is_first = std::nullopt;
    else event.is_first = read_bool(name, value);
    return true;
  }
  return false;
}

}  // namespace

Event parse_event(std::string_view body, const ParseOptions& options) {
  if (body.size() > options.max_body_bytes) {
    throw DecodeError("webhook body is " + std::to_string(body.size()) + " bytes, over the limit of " +
                      std::to_string(options.max_body_bytes));
  }
  if (const std::size_t bad = detail::first_invalid_utf8(body); bad != std::string_view::npos) {
    throw DecodeError("webhook body is not valid UTF-8 (at byte " + std::to_string(bad) + ")");
  }

  Json document;
  try {
    document = Json::parse(body);
  } catch (const DecodeError& e) {
    throw DecodeError(std::string("webhook body is not JSON: ") + e.what());
  }
  if (!document.is_object()) {
    throw DecodeError(std::string("webhook body is ") + kind_with_article(document) + ", expected a JSON object");
  }

  Event event;
  const Json* type = document.find("event_type");
  if (type == nullptr || type->is_null()) throw DecodeError("webhook body has no event_type", "$.event_type");
  if (!type->is_string()) wrong_type("event_type", *type, "a string");
  if (type->as_string().empty()) throw DecodeError("webhook event_type is empty", "$.event_type");
  event.event_type = EventType(type->as_string());

  // Json::parse already merged repeated names, so members are unique.
  Json::Object extra;
  for (auto& [name, value] : document.as_object()) {
    if (name == "event_type") continue;
    if (!read_known(event, name, value)) extra.emplace_back(std::move(name), std::move(value));
  }
  event.extra = Json(std::move(extra));
  return event;
}

}  // namespace instantly::webhooks
