// What the campaign handlers, the analytics and the send simulation share
// about a stored campaign record: its status codes, its sequence, its leads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/json.hpp"
#include "state.hpp"

namespace instantly::mock::campaign {

// Campaign status codes (the API's enum).
inline constexpr int kDraft = 0;
inline constexpr int kActive = 1;
inline constexpr int kPaused = 2;
inline constexpr int kCompleted = 3;

// Lead status codes the simulation moves a lead through.
inline constexpr int kLeadActive = 1;
inline constexpr int kLeadCompleted = 3;
inline constexpr int kLeadBounced = -1;
inline constexpr int kLeadUnsubscribed = -2;

/// The stored campaign, or a 404.
Json& require(State& state, std::string_view id);

/// A numeric member as an int (stored numbers may be ints or doubles); `fallback` when absent or not a number.
int int_member(const Json& record, std::string_view key, int fallback);
/// A boolean member; `fallback` when absent or null.
bool bool_member(const Json& record, std::string_view key, bool fallback);
/// A string member; "" when absent or not a string.
std::string string_member(const Json& record, std::string_view key);

int status_of(const Json& campaign);
bool has_schedules(const Json& campaign);

/// The steps of the first sequence (the only one the API uses); empty when there is none.
std::vector<const Json*> steps_of(const Json& campaign);
/// How many steps a lead goes through: the sequence's, at least one (a
/// campaign without copy still sends a placeholder mail in the mock).
std::size_t step_count(const Json& campaign);

/// The leads stored with `campaign` == id, oldest first.
std::vector<Json*> leads_of(State& state, std::string_view campaign_id);

/// "YYYY-MM-DD" or an ISO 8601 timestamp as Unix ms; a date-only `end`
/// covers that whole day. Throws a 400 naming `field` when malformed.
std::int64_t parse_date_bound(std::string_view text, std::string_view field, bool end);

}  // namespace instantly::mock::campaign
