// Building a campaign the API accepts: a business-hours schedule in a zone
// from the API's closed timezone list, v2 day keys, and a multi-step sequence
// whose `{{placeholders}}` are checked against the leads that will fill them.
//
//   using namespace instantly::workflows;
//   CampaignBuilder campaign{
//       .name = "Cafes LA",
//       .schedule = {.from = "09:00", .to = "17:00", .days = {"mon", "tue", "wed", "thu", "fri"},
//                    .timezone = "America/Los_Angeles"},
//       .sending_accounts = {"me@mydomain.com"},
//       .daily_limit = 50,
//       .steps = {{.subject = "{{subject_line}}", .body = "Hi {{firstName}}, {{icebreaker}}", .delay_days = 3},
//                 {.subject = "", .body = "Following up on my note, {{firstName}}."}},
//   };
//   for (const std::string& w : campaign.warnings({"subject_line", "icebreaker"})) log(w);
//   instantly::Campaign created = client.campaigns().create(campaign.build());
//
// API facts this encodes (how the live API behaves beyond its OpenAPI file): schedule `timezone` is
// a closed list without America/New_York, America/Los_Angeles or Europe/London;
// `days` keys are "0".."6" with Sunday = "0"; `timing.from/to` are "HH:MM";
// a step's `delay` is the wait before the NEXT step; only `sequences[0]` is used.
//
// Thread-safety: plain values and pure functions; allowed_timezones() is safe
// to call from many threads.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/json.hpp"
#include "instantly/models/campaign.hpp"
#include "instantly/models/lead.hpp"

namespace instantly::workflows {

// ---------------------------------------------------------------- timezones

/// The schedule timezones the API accepts, in the spec's order (the generated `Timezone` constants).
const std::vector<std::string>& allowed_timezones();

/// An allowed zone passes through unchanged. A common IANA zone outside the
/// list maps to a listed zone with the same UTC offset and daylight-saving
/// rules (America/New_York → America/Detroit, Europe/London → Europe/Isle_of_Man,
/// Europe/Berlin → Arctic/Longyearbyen, UTC → Africa/Abidjan, ...; see
/// timezone_aliases()). One approximation: the list's only Pacific-time entry is
/// America/Dawson (in its UTC-8 slot), so America/Los_Angeles, America/Vancouver,
/// America/Tijuana and US/Pacific map there, although current tzdata keeps Dawson
/// on UTC-7 all year.
/// Throws ValidationError ("timezone: ...") listing every allowed zone for anything else.
std::string to_api_timezone(std::string_view iana);

/// The mapping table used by to_api_timezone: {IANA zone, allowed zone}.
struct TimezoneAlias {
  std::string_view from;
  std::string_view to;
};
const std::vector<TimezoneAlias>& timezone_aliases();

// ---------------------------------------------------------------- days

/// A set of weekdays, indexed as the API keys them: 0 = Sunday ... 6 = Saturday.
/// Built from day names ("monday", "Mon", case-insensitive) or API keys ("1").
class Weekdays {
 public:
  Weekdays() = default;  ///< no days
  /// Throws ValidationError naming the first unknown day.
  Weekdays(std::initializer_list<std::string_view> days);
  explicit Weekdays(const std::vector<std::string>& days);

  static Weekdays monday_to_friday();
  static Weekdays every_day();

  Weekdays& add(std::string_view day);
  bool contains(int index) const { return index >= 0 && index < 7 && on_[static_cast<std::size_t>(index)]; }
  bool empty() const;

  /// {"1": true, ...}: the selected days only, in key order.
  Json to_json() const;
  CampaignScheduleEntryDays to_api() const;

  friend bool operator==(const Weekdays&, const Weekdays&) = default;

 private:
  std::array<bool, 7> on_{};
};

/// 0..6 (Sunday = 0) for "sunday"/"sun"/"Sun"/"0" ...; throws ValidationError for anything else.
int weekday_index(std::string_view day);

/// The old pipeline's `campaign_schedule` ({"schedules": [{..., "days": {"monday": true}, "timezone": ...}]})
/// in the v2 shape: day names become "0".."6" keys (values kept, ordered by key; keys that already
/// are "0".."6" stay), and a timezone outside the allowed list goes through to_api_timezone.
/// Everything else passes through in place. Throws ValidationError naming the path
/// (`campaign_schedule.schedules[0].days.funday`) for unknown days or wrong types.
Json convert_old_schedule(const Json& old_campaign_schedule);

// ---------------------------------------------------------------- builder

/// The sending window: every selected day, from..to local time in `timezone`.
struct BusinessHours {
  std::string name = "Business Hours";
  std::string from = "09:00";  ///< "HH:MM", 24-hour
  std::string to = "17:00";    ///< "HH:MM", after `from`
  Weekdays days = Weekdays::monday_to_friday();
  std::string timezone = "America/Chicago";  ///< any zone to_api_timezone accepts
};

/// One A/B variant of a step.
struct EmailVariant {
  std::string subject;
  std::string body;  ///< HTML; `<br/>` for line breaks
};

/// One email of the sequence. `subject`/`body` are its first variant; `variants`
/// adds more. An empty subject on a follow-up sends it as a reply in the same thread.
struct EmailStep {
  std::string subject;
  std::string body;
  double delay_days = 0;  ///< days to wait after this email before the next step (the API's `delay`)
  std::vector<EmailVariant> variants;
};

/// Lead fields Instantly fills placeholders from without custom variables
/// ({{firstName}}, {{companyName}}, {{sendingAccountFirstName}}, {{RANDOM | a | b}}, ...).
const std::vector<std::string>& builtin_placeholders();

/// An aggregate: fill it with designated initializers, then build().
struct CampaignBuilder {
  std::string name;
  BusinessHours schedule;
  std::vector<std::string> sending_accounts;  ///< the campaign's `email_list`
  std::optional<std::int64_t> daily_limit;
  std::optional<std::int64_t> email_gap_minutes;
  std::optional<bool> stop_on_reply;
  std::optional<bool> text_only;
  std::optional<bool> link_tracking;
  std::optional<bool> open_tracking;
  std::vector<EmailStep> steps;

  /// The body of `client.campaigns().create(...)`. Throws ValidationError naming
  /// the field (`name`, `schedule.from`, `schedule.days`, `schedule.timezone`,
  /// `sending_accounts[1]`, `daily_limit`, `steps[0].variants[1].subject`, ...).
  CampaignCreateParams build() const;

  /// Placeholder names used in subjects and bodies, in order of first use.
  /// `{{ name }}` counts as `name`; for `{{RANDOM | a | b}}` the name is `RANDOM`.
  std::vector<std::string> placeholders() const;

  /// Placeholders that neither a built-in lead field nor any of `lead_variable_names` provides.
  std::vector<std::string> missing_placeholders(const std::vector<std::string>& lead_variable_names) const;
  /// Same, with the custom_variables keys of sample leads as the provided names.
  std::vector<std::string> missing_placeholders(std::span<const LeadAddParamsLead> sample_leads) const;

  /// One human-readable line per missing placeholder, naming where it is first used.
  std::vector<std::string> warnings(const std::vector<std::string>& lead_variable_names) const;
  std::vector<std::string> warnings(std::span<const LeadAddParamsLead> sample_leads) const;
};

}  // namespace instantly::workflows
