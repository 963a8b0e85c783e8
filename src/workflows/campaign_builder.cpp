// CampaignBuilder: validation, the create body, and `{{placeholder}}` checks.
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <unordered_set>
#include <utility>

#include "instantly/error.hpp"
#include "instantly/workflows/campaign_builder.hpp"
#include "text/ascii.hpp"

namespace instantly::workflows {
namespace {

[[noreturn]] void invalid(const std::string& field, const std::string& problem) {
  throw ValidationError(field + ": " + problem);
}

// "HH:MM", 00:00..23:59 (the spec's pattern for timing.from/to).
bool is_clock_time(std::string_view t) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (t.size() != 5 || t[2] != ':' || !digit(t[0]) || !digit(t[1]) || !digit(t[3]) || !digit(t[4])) return false;
  return (t[0] - '0') * 10 + (t[1] - '0') <= 23 && t[3] <= '5';
}

bool looks_like_email(std::string_view address) {
  const std::size_t at = address.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < address.size() &&
         address.find('@', at + 1) == std::string_view::npos &&
         address.find_first_of(" \t\r\n<>,;") == std::string_view::npos;
}

// Every `{{name}}` / `{{ name | ... }}` in text, in order; `field` names the text in errors.
void scan_placeholders(std::string_view text, const std::string& field,
                       const std::function<void(std::string)>& found) {
  std::size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    const std::size_t close = text.find("}}", pos + 2);
    if (close == std::string_view::npos) invalid(field, "a \"{{\" is never closed by \"}}\"");
    std::string_view inner = text.substr(pos + 2, close - pos - 2);
    std::string_view name = ascii::trim_space(inner.substr(0, inner.find('|')));
    if (!name.empty()) found(std::string(name));
    pos = close + 2;
  }
}

// Each subject and body with its builder field path, in sequence order.
void for_each_text(const std::vector<EmailStep>& steps,
                   const std::function<void(std::string_view, const std::string&)>& visit) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::string step = "steps[" + std::to_string(i) + "]";
    visit(steps[i].subject, step + ".subject");
    visit(steps[i].body, step + ".body");
    for (std::size_t j = 0; j < steps[i].variants.size(); ++j) {
      const std::string variant = step + ".variants[" + std::to_string(j) + "]";
      visit(steps[i].variants[j].subject, variant + ".subject");
      visit(steps[i].variants[j].body, variant + ".body");
    }
  }
}

// Placeholder name → the field it is first used in, in order of first use.
std::vector<std::pair<std::string, std::string>> placeholder_uses(const std::vector<EmailStep>& steps) {
  std::vector<std::pair<std::string, std::string>> uses;
  for_each_text(steps, [&uses](std::string_view text, const std::string& field) {
    scan_placeholders(text, field, [&](std::string name) {
      const bool seen = std::any_of(uses.begin(), uses.end(), [&](const auto& use) { return use.first == name; });
      if (!seen) uses.emplace_back(std::move(name), field);
    });
  });
  return uses;
}

CampaignScheduleEntry schedule_entry(const BusinessHours& hours) {
  if (ascii::is_blank(hours.name)) invalid("schedule.name", "must not be blank");
  if (!is_clock_time(hours.from)) invalid("schedule.from", "expected \"HH:MM\" (00:00..23:59), got \"" + hours.from + "\"");
  if (!is_clock_time(hours.to)) invalid("schedule.to", "expected \"HH:MM\" (00:00..23:59), got \"" + hours.to + "\"");
  if (hours.from >= hours.to) invalid("schedule.to", "must be after schedule.from (" + hours.from + ")");
  if (hours.days.empty()) invalid("schedule.days", "choose at least one day");
  std::string timezone;
  try {
    timezone = to_api_timezone(hours.timezone);
  } catch (const ValidationError& e) {
    throw ValidationError(std::string("schedule.") + e.what());  // e.what() starts with "timezone: "
  }
  return CampaignScheduleEntry{.name = hours.name,
                               .timing = {.from = hours.from, .to = hours.to},
                               .days = hours.days.to_api(),
                               .timezone = Timezone(std::move(timezone))};
}

CampaignSequenceStepVariant variant_of(std::string_view subject, std::string_view body, bool first_step,
                                       const std::string& field) {
  // A follow-up with an empty subject goes out as a reply in the first email's thread.
  if (first_step && ascii::is_blank(subject)) invalid(field + ".subject", "the first email needs a subject");
  if (ascii::is_blank(body)) invalid(field + ".body", "must not be blank");
  return CampaignSequenceStepVariant{.subject = std::string(subject), .body = std::string(body)};
}

CampaignSequence sequence_of(const std::vector<EmailStep>& steps) {
  CampaignSequence sequence;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const EmailStep& step = steps[i];
    const std::string field = "steps[" + std::to_string(i) + "]";
    if (!std::isfinite(step.delay_days) || step.delay_days < 0)
      invalid(field + ".delay_days", "must be a number of days, 0 or more");
    CampaignSequenceStep out{.type = CampaignSequenceStepType::Email,
                             .delay = step.delay_days,
                             .delay_unit = CampaignSequenceStepDelayUnit::Days};
    out.variants.push_back(variant_of(step.subject, step.body, i == 0, field));
    for (std::size_t j = 0; j < step.variants.size(); ++j) {
      out.variants.push_back(variant_of(step.variants[j].subject, step.variants[j].body, i == 0,
                                        field + ".variants[" + std::to_string(j) + "]"));
    }
    sequence.steps.push_back(std::move(out));
  }
  return sequence;
}

std::vector<std::string> provided_by(std::span<const LeadAddParamsLead> leads) {
  std::vector<std::string> names;
  for (const LeadAddParamsLead& lead : leads) {
    if (!lead.custom_variables || !lead.custom_variables->is_object()) continue;
    for (const auto& member : lead.custom_variables->as_object()) names.push_back(member.first);
  }
  return names;
}

}  // namespace

const std::vector<std::string>& builtin_placeholders() {
  static const std::vector<std::string> names{
      "firstName",   "lastName", "email", "companyName",     "companyDomain",           "website",
      "phone",       "jobTitle", "personalization",           "sendingAccountFirstName", "sendingAccountLastName",
      "sendingAccountName",     "accountSignature",          "RANDOM"};
  return names;
}

CampaignCreateParams CampaignBuilder::build() const {
  if (ascii::is_blank(name)) invalid("name", "must not be blank");
  CampaignCreateParams params;
  params.name = name;
  params.campaign_schedule.schedules.push_back(schedule_entry(schedule));

  for (std::size_t i = 0; i < sending_accounts.size(); ++i) {
    if (!looks_like_email(sending_accounts[i]))
      invalid("sending_accounts[" + std::to_string(i) + "]", "\"" + sending_accounts[i] + "\" is not an email address");
  }
  if (!sending_accounts.empty()) params.email_list = sending_accounts;

  if (daily_limit) {
    if (*daily_limit <= 0) invalid("daily_limit", "must be at least 1");
    params.daily_limit = static_cast<double>(*daily_limit);
  }
  if (email_gap_minutes) {
    if (*email_gap_minutes < 0) invalid("email_gap_minutes", "must not be negative");
    params.email_gap = static_cast<double>(*email_gap_minutes);
  }
  if (stop_on_reply) params.stop_on_reply = *stop_on_reply;
  if (text_only) params.text_only = *text_only;
  if (link_tracking) params.link_tracking = *link_tracking;
  if (open_tracking) params.open_tracking = *open_tracking;

  if (!steps.empty()) {
    placeholder_uses(steps);  // rejects an unclosed "{{"
    params.sequences = std::vector<CampaignSequence>{sequence_of(steps)};
  }
  return params;
}

std::vector<std::string> CampaignBuilder::placeholders() const {
  std::vector<std::string> names;
  for (auto& use : placeholder_uses(steps)) names.push_back(std::move(use.first));
  return names;
}

std::vector<std::string> CampaignBuilder::missing_placeholders(const std::vector<std::string>& lead_variable_names) const {
  std::unordered_set<std::string> provided(builtin_placeholders().begin(), builtin_placeholders().end());
  provided.insert(lead_variable_names.begin(), lead_variable_names.end());
  std::vector<std::string> missing;
  for (const std::string& placeholder : placeholders()) {
    if (!provided.contains(placeholder)) missing.push_back(placeholder);
  }
  return missing;
}

std::vector<std::string> CampaignBuilder::missing_placeholders(std::span<const LeadAddParamsLead> sample_leads) const {
  return missing_placeholders(provided_by(sample_leads));
}

std::vector<std::string> CampaignBuilder::warnings(const std::vector<std::string>& lead_variable_names) const {
  const std::vector<std::string> missing = missing_placeholders(lead_variable_names);
  std::vector<std::string> lines;
  for (const auto& [placeholder, field] : placeholder_uses(steps)) {
    if (std::find(missing.begin(), missing.end(), placeholder) == missing.end()) continue;
    lines.push_back("{{" + placeholder + "}} (first used in " + field +
                    ") is neither a built-in lead field nor provided by any lead");
  }
  return lines;
}

std::vector<std::string> CampaignBuilder::warnings(std::span<const LeadAddParamsLead> sample_leads) const {
  return warnings(provided_by(sample_leads));
}

}  // namespace instantly::workflows
