// Weekdays as API v2 keys them ("0".."6", Sunday = "0"), and the old
// pipeline's day-name schedules converted to that shape.
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>

#include "instantly/error.hpp"
#include "instantly/workflows/campaign_builder.hpp"

namespace instantly::workflows {
namespace {

struct DayName {
  std::string_view name;
  int index;
};

constexpr std::array<DayName, 18> day_names{{
    {"sunday", 0},   {"sun", 0},                                   //
    {"monday", 1},   {"mon", 1},                                   //
    {"tuesday", 2},  {"tue", 2},  {"tues", 2},                     //
    {"wednesday", 3}, {"wed", 3}, {"weds", 3},                     //
    {"thursday", 4}, {"thu", 4},  {"thur", 4}, {"thurs", 4},       //
    {"friday", 5},   {"fri", 5},                                   //
    {"saturday", 6}, {"sat", 6},
}};

std::optional<int> find_weekday(std::string_view day) {
  std::string lower;
  for (char c : day) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower.size() == 1 && lower[0] >= '0' && lower[0] <= '6') return lower[0] - '0';
  for (const DayName& entry : day_names) {
    if (entry.name == lower) return entry.index;
  }
  return std::nullopt;
}

std::string key_of(int index) { return std::string(1, static_cast<char>('0' + index)); }

Json convert_days(const Json& days, const std::string& path) {
  if (!days.is_object()) throw ValidationError(path + ": expected an object of day → true/false");
  std::array<std::optional<bool>, 7> chosen{};
  for (const auto& [day, value] : days.as_object()) {
    const std::optional<int> index = find_weekday(day);
    if (!index) throw ValidationError(path + "." + day + ": not a day (monday..sunday, mon..sun or \"0\"..\"6\")");
    if (!value.is_bool()) throw ValidationError(path + "." + day + ": expected true or false");
    chosen[static_cast<std::size_t>(*index)] = value.as_bool();
  }
  Json out = Json::object();
  for (int i = 0; i < 7; ++i) {
    if (const auto& on = chosen[static_cast<std::size_t>(i)]) out.set(key_of(i), *on);
  }
  return out;
}

void convert_entry(Json& entry, const std::string& path) {
  if (!entry.is_object()) throw ValidationError(path + ": expected an object");
  if (Json* days = entry.find("days")) *days = convert_days(*days, path + ".days");
  if (Json* timezone = entry.find("timezone")) {
    if (!timezone->is_string()) throw ValidationError(path + ".timezone: expected a string");
    try {
      *timezone = to_api_timezone(timezone->as_string());
    } catch (const ValidationError& e) {
      throw ValidationError(path + "." + e.what());  // e.what() starts with "timezone: "
    }
  }
}

}  // namespace

int weekday_index(std::string_view day) {
  if (const std::optional<int> index = find_weekday(day)) return *index;
  throw ValidationError("day: \"" + std::string(day) + "\" is not a day (monday..sunday, mon..sun or \"0\"..\"6\")");
}

Weekdays::Weekdays(std::initializer_list<std::string_view> days) {
  for (std::string_view day : days) add(day);
}

Weekdays::Weekdays(const std::vector<std::string>& days) {
  for (const std::string& day : days) add(day);
}

Weekdays Weekdays::monday_to_friday() { return Weekdays{"1", "2", "3", "4", "5"}; }

Weekdays Weekdays::every_day() { return Weekdays{"0", "1", "2", "3", "4", "5", "6"}; }

Weekdays& Weekdays::add(std::string_view day) {
  on_[static_cast<std::size_t>(weekday_index(day))] = true;
  return *this;
}

bool Weekdays::empty() const { return std::none_of(on_.begin(), on_.end(), [](bool on) { return on; }); }

Json Weekdays::to_json() const {
  Json out = Json::object();
  for (int i = 0; i < 7; ++i) {
    if (contains(i)) out.set(key_of(i), true);
  }
  return out;
}

CampaignScheduleEntryDays Weekdays::to_api() const {
  CampaignScheduleEntryDays days;
  std::optional<bool>* fields[7] = {&days.sunday,   &days.monday, &days.tuesday, &days.wednesday,
                                    &days.thursday, &days.friday, &days.saturday};
  for (int i = 0; i < 7; ++i) {
    if (contains(i)) *fields[i] = true;
  }
  return days;
}

Json convert_old_schedule(const Json& old_campaign_schedule) {
  const std::string root = "campaign_schedule";
  if (!old_campaign_schedule.is_object()) throw ValidationError(root + ": expected an object");
  Json schedule = old_campaign_schedule;
  if (Json* schedules = schedule.find("schedules")) {
    if (!schedules->is_array()) throw ValidationError(root + ".schedules: expected an array");
    Json::Array& entries = schedules->as_array();
    for (std::size_t i = 0; i < entries.size(); ++i) {
      convert_entry(entries[i], root + ".schedules[" + std::to_string(i) + "]");
    }
  }
  return schedule;
}

}  // namespace instantly::workflows
