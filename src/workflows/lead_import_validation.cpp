#include "workflows/lead_import_validation.hpp"

#include <string>
#include <string_view>
#include <utility>

#include "webhooks/utf8.hpp"

namespace instantly::workflows::detail {

namespace {

char lower_char(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool blank(const Json& value) {
  return value.is_null() || (value.is_string() && value.as_string().empty()) ||
         ((value.is_object() || value.is_array()) && value.size() == 0);
}

/// A list may hold a lead known only by name or phone; it still has to carry something.
bool has_any_value(const LeadAddParamsLead& lead) {
  Json json = Json::parse(lead.to_json());
  if (!json.is_object()) return false;
  for (const auto& [key, value] : json.as_object()) {
    if (!blank(value)) return true;
  }
  return false;
}

// The API refuses a request with a string that is not UTF-8, and with it every other lead of
// the chunk: one such lead is rejected here instead, by itself.
std::optional<std::string> not_utf8_problem(const LeadAddParamsLead& lead) {
  const std::pair<const char*, const Nullable<std::string>*> fields[] = {
      {"email", &lead.email},         {"personalization", &lead.personalization},
      {"website", &lead.website},     {"last_name", &lead.last_name},
      {"first_name", &lead.first_name}, {"company_name", &lead.company_name},
      {"job_title", &lead.job_title}, {"phone", &lead.phone},
      {"pl_value_lead", &lead.pl_value_lead}, {"assigned_to", &lead.assigned_to}};
  for (const auto& [name, value] : fields) {
    if (value->has_value() && webhooks::detail::first_invalid_utf8(**value) != std::string_view::npos) {
      return std::string(name) + ": not valid UTF-8";
    }
  }
  if (lead.custom_variables && lead.custom_variables->is_object()) {
    for (const auto& [key, member] : lead.custom_variables->as_object()) {
      const bool bad_value = member.is_string() && webhooks::detail::first_invalid_utf8(member.as_string()) !=
                                                       std::string_view::npos;
      if (webhooks::detail::first_invalid_utf8(key) != std::string_view::npos || bad_value) {
        return "custom_variables: a name or value is not valid UTF-8";
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> custom_variables_problem(const Json& variables, const ValidationLimits& limits) {
  if (variables.is_null()) return std::nullopt;
  if (!variables.is_object()) return "custom_variables: must be an object";
  for (const auto& [name, value] : variables.as_object()) {
    if (name.size() > limits.max_name) {
      return "custom_variables: name '" + name.substr(0, 40) + "...' is longer than " +
             std::to_string(limits.max_name) + " characters";
    }
    if (value.is_object() || value.is_array()) {
      return "custom_variables." + name + ": value must be a string, number, boolean or null";
    }
    if (value.is_string() && value.as_string().size() > limits.max_value) {
      return "custom_variables." + name + ": value is longer than " + std::to_string(limits.max_value) +
             " characters";
    }
  }
  return std::nullopt;
}

}  // namespace

bool plausible_email(std::string_view email) noexcept {
  if (email.empty() || email.size() > 254) return false;
  for (char c : email) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
  }
  auto at = email.find('@');
  if (at == 0 || at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view domain = email.substr(at + 1);
  auto dot = domain.find('.');
  // A dot with something on both sides: "a@b.c", not "a@.c" or "a@b.".
  return dot != std::string_view::npos && dot != 0 && domain.back() != '.';
}

std::optional<std::string> rejection_reason(const LeadAddParamsLead& lead, const ValidationLimits& limits) {
  if (auto problem = not_utf8_problem(lead)) return problem;
  if (lead.email.has_value() && !lead.email->empty()) {
    if (!plausible_email(*lead.email)) return "email: not a valid address";
  } else if (limits.campaign_target) {
    return "email: required for a campaign";
  } else if (!has_any_value(lead)) {
    return "email: missing, and the lead has no other field";
  }
  if (lead.custom_variables) return custom_variables_problem(*lead.custom_variables, limits);
  return std::nullopt;
}

std::uint64_t email_key(std::string_view email) noexcept {
  std::uint64_t hash = 14695981039346656037ull;
  for (char c : email) {
    hash ^= static_cast<unsigned char>(lower_char(c));
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace instantly::workflows::detail
