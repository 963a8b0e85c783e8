// Event::dedupe_key, Event::to_json and Event::time.
//
// The dedupe recipe, version "instantly-webhook-dedupe-v1": SHA-256 over the
// tag followed by each field in a fixed order, each written as `-` when
// absent or `<length>:<bytes>` when present (integers in decimal), so that
// no two different field lists produce the same byte string.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "instantly/json.hpp"
#include "instantly/webhooks/event.hpp"
#include "webhooks/digest.hpp"
#include "webhooks/header_value.hpp"
#include "webhooks/timestamp.hpp"

namespace instantly::webhooks {
namespace {

constexpr std::string_view kDedupeVersion = "instantly-webhook-dedupe-v1";

void append_field(std::string& out, std::optional<std::string_view> value) {
  if (!value) {
    out += '-';
    return;
  }
  out += std::to_string(value->size());
  out += ':';
  out += *value;
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = detail::fold_ascii(c);
  return out;
}

std::optional<std::string_view> view(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  return std::string_view(*value);
}

std::optional<std::string> decimal(const std::optional<std::int64_t>& value) {
  if (!value) return std::nullopt;
  return std::to_string(*value);
}

}  // namespace

std::string Event::dedupe_key() const {
  const std::optional<std::string> email = lead_email ? std::optional(lower_ascii(*lead_email)) : std::nullopt;
  const std::optional<std::string> account =
      email_account ? std::optional(lower_ascii(*email_account)) : std::nullopt;
  const std::optional<std::string> step_text = decimal(step);
  const std::optional<std::string> variant_text = decimal(variant);

  std::string material(kDedupeVersion);
  material += '\n';
  append_field(material, event_type.value());
  append_field(material, timestamp);
  append_field(material, workspace);
  append_field(material, campaign_id);
  append_field(material, view(email));
  append_field(material, view(account));
  append_field(material, view(email_id));
  append_field(material, view(step_text));
  append_field(material, view(variant_text));
  return detail::to_hex(detail::sha256({material}));
}

Json Event::to_json() const {
  Json::Object members;
  members.reserve(18 + extra.size());
  members.emplace_back("event_type", event_type.value());
  members.emplace_back("timestamp", timestamp);
  members.emplace_back("workspace", workspace);
  members.emplace_back("campaign_id", campaign_id);
  members.emplace_back("campaign_name", campaign_name);
  auto optional_string = [&members](const char* name, const std::optional<std::string>& value) {
    if (value) members.emplace_back(name, *value);
  };
  optional_string("lead_email", lead_email);
  optional_string("email_account", email_account);
  optional_string("unibox_url", unibox_url);
  if (step) members.emplace_back("step", *step);
  if (variant) members.emplace_back("variant", *variant);
  if (is_first) members.emplace_back("is_first", *is_first);
  optional_string("email_id", email_id);
  optional_string("email_subject", email_subject);
  optional_string("email_text", email_text);
  optional_string("email_html", email_html);
  optional_string("reply_text_snippet", reply_text_snippet);
  optional_string("reply_subject", reply_subject);
  optional_string("reply_text", reply_text);
  optional_string("reply_html", reply_html);
  if (extra.is_object()) {
    for (const auto& member : extra.as_object()) members.push_back(member);
  }
  return Json(std::move(members));
}

std::optional<std::chrono::sys_time<std::chrono::microseconds>> Event::time() const {
  return detail::parse_iso8601(timestamp);
}

}  // namespace instantly::webhooks
