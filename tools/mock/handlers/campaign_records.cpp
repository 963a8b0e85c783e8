#include "handlers/campaign_records.hpp"

#include <cctype>
#include <cmath>

#include "http_error.hpp"

namespace instantly::mock::campaign {

Json& require(State& state, std::string_view id) {
  Json* found = state.collection(collections::kCampaigns).find(id);
  if (!found) not_found("campaign", id);
  return *found;
}

int int_member(const Json& record, std::string_view key, int fallback) {
  const Json* value = record.find(key);
  if (!value || !value->is_number()) return fallback;
  return static_cast<int>(std::lround(value->as_double()));
}

bool bool_member(const Json& record, std::string_view key, bool fallback) {
  const Json* value = record.find(key);
  return value && value->is_bool() ? value->as_bool() : fallback;
}

std::string string_member(const Json& record, std::string_view key) {
  const Json* value = record.find(key);
  return value && value->is_string() ? value->as_string() : std::string();
}

int status_of(const Json& campaign) { return int_member(campaign, "status", kDraft); }

bool has_schedules(const Json& campaign) {
  const Json* schedule = campaign.find("campaign_schedule");
  const Json* schedules = schedule ? schedule->find("schedules") : nullptr;
  return schedules && schedules->is_array() && !schedules->empty();
}

std::vector<const Json*> steps_of(const Json& campaign) {
  std::vector<const Json*> steps;
  const Json* sequences = campaign.find("sequences");
  if (!sequences || !sequences->is_array() || sequences->empty()) return steps;
  const Json* list = sequences->as_array().front().find("steps");
  if (!list || !list->is_array()) return steps;
  for (const Json& step : list->as_array()) steps.push_back(&step);
  return steps;
}

std::size_t step_count(const Json& campaign) {
  std::size_t n = steps_of(campaign).size();
  return n == 0 ? 1 : n;
}

std::vector<Json*> leads_of(State& state, std::string_view campaign_id) {
  std::vector<Json*> leads;
  for (auto& [id, lead] : state.collection(collections::kLeads).records()) {
    const Json* owner = lead.find("campaign");
    if (owner && owner->is_string() && owner->as_string() == campaign_id) leads.push_back(&lead);
  }
  return leads;
}

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// Reads `width` digits at `pos`; false when they are not all digits.
bool digits(std::string_view text, std::size_t pos, std::size_t width, int& out) {
  if (pos + width > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::int64_t parse_date_bound(std::string_view text, std::string_view field, bool end) {
  auto fail = [&]() -> std::int64_t {
    bad_request(std::string(field) + " must be a date (YYYY-MM-DD) or an ISO 8601 timestamp, got '" +
                std::string(text) + "'");
  };
  int year = 0, month = 0, day = 0;
  if (!digits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, month) ||
      text[7] != '-' || !digits(text, 8, 2, day) || month < 1 || month > 12 || day < 1 || day > 31) {
    return fail();
  }
  std::int64_t day_ms = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400000;
  if (text.size() == 10) return end ? day_ms + 86400000 - 1 : day_ms;

  int hour = 0, minute = 0, second = 0, millis = 0;
  if ((text[10] != 'T' && text[10] != ' ') || !digits(text, 11, 2, hour) || text.size() < 16 || text[13] != ':' ||
      !digits(text, 14, 2, minute)) {
    return fail();
  }
  std::size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!digits(text, pos + 1, 2, second)) return fail();
    pos += 3;
  }
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int scale = 100;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      millis += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
  }
  std::int64_t offset_ms = 0;
  if (pos < text.size() && text[pos] == 'Z') {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = 0, om = 0;
    if (!digits(text, pos + 1, 2, oh)) return fail();
    std::size_t minutes_at = pos + 3 < text.size() && text[pos + 3] == ':' ? pos + 4 : pos + 3;
    if (!digits(text, minutes_at, 2, om)) return fail();
    offset_ms = (static_cast<std::int64_t>(oh) * 60 + om) * 60000 * (text[pos] == '+' ? 1 : -1);
    pos = minutes_at + 2;
  }
  if (pos != text.size() || hour > 23 || minute > 59 || second > 60) return fail();
  return day_ms + ((static_cast<std::int64_t>(hour) * 60 + minute) * 60 + second) * 1000 + millis - offset_ms;
}

}  // namespace instantly::mock::campaign
