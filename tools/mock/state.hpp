// Everything the mock remembers: named collections of JSON records, a
// simulated clock, an id generator and a seeded random source.
//
// One mutex guards it all. The server holds it while a handler runs
// (handlers are short; a single lock keeps every state transition atomic and
// is far from the bottleneck at the request rates a loopback test reaches).
// Code that runs outside a request (the simulation, webhook delivery, the
// admin API) takes it through lock().
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collection.hpp"
#include "instantly/json.hpp"

namespace instantly::mock {

/// Collection names. Persisted state uses them as keys, so they are stable.
namespace collections {
inline constexpr std::string_view kCampaigns = "campaigns";
inline constexpr std::string_view kLeads = "leads";
inline constexpr std::string_view kLeadLists = "lead_lists";
inline constexpr std::string_view kAccounts = "accounts";  // keyed by email
inline constexpr std::string_view kEmails = "emails";
inline constexpr std::string_view kWebhooks = "webhooks";
inline constexpr std::string_view kWebhookEvents = "webhook_events";
inline constexpr std::string_view kBlockListEntries = "block_list_entries";
inline constexpr std::string_view kBackgroundJobs = "background_jobs";
inline constexpr std::string_view kCustomTags = "custom_tags";
inline constexpr std::string_view kCustomTagMappings = "custom_tag_mappings";
inline constexpr std::string_view kApiKeys = "api_keys";
inline constexpr std::string_view kLeadLabels = "lead_labels";
/// Simulated engagement events (sent, opened, ...), the source of analytics.
inline constexpr std::string_view kEvents = "events";
}  // namespace collections

/// Receives every engagement event the simulation produces (the webhook
/// dispatcher). Called with the state lock held: must only enqueue.
using EventListener = std::function<void(const Json& payload)>;

class State {
 public:
  explicit State(std::uint64_t seed = 0);

  std::unique_lock<std::mutex> lock() { return std::unique_lock(mutex_); }

  /// The named collection, created on first use.
  Collection& collection(std::string_view name);

  // ---- clock ---------------------------------------------------------------
  /// Simulated now: the wall clock plus everything advance() added (or the
  /// frozen instant while a ClockFreeze lives).
  std::int64_t now_ms() const;
  /// ISO 8601 in UTC with milliseconds: "2026-11-27T20:51:03.123Z".
  std::string now_iso() const { return iso8601(now_ms()); }
  static std::string iso8601(std::int64_t unix_ms);
  /// "2026-11-27"
  static std::string date_of(std::int64_t unix_ms);
  void advance(std::int64_t ms) {
    clock_offset_ms_ += ms;
    if (frozen_ms_) *frozen_ms_ += ms;
  }

  /// While alive (state lock held), now_ms() and now_iso() answer the instant
  /// it was made at, so that every record of one simulated event (the email,
  /// the stored events, the lead's timestamps, the webhook payloads) carries
  /// exactly the same time. Nested freezes keep the outer instant. new_id()
  /// still makes strictly increasing ids.
  class ClockFreeze {
   public:
    explicit ClockFreeze(State& state) : state_(state), previous_(state.frozen_ms_) {
      if (!previous_) state_.frozen_ms_ = state_.now_ms();
    }
    ~ClockFreeze() { state_.frozen_ms_ = previous_; }
    ClockFreeze(const ClockFreeze&) = delete;
    ClockFreeze& operator=(const ClockFreeze&) = delete;
    /// The frozen instant.
    std::int64_t ms() const { return *state_.frozen_ms_; }

   private:
    State& state_;
    std::optional<std::int64_t> previous_;
  };

  // ---- ids and randomness --------------------------------------------------
  /// A UUID whose text sorts in creation order (UUIDv7 layout).
  std::string new_id();
  std::mt19937_64& rng() noexcept { return rng_; }
  /// true with probability `p`, from the seeded source.
  bool chance(double p);

  // ---- leads index ---------------------------------------------------------
  /// Lead id by (campaign or list id, lower-cased email): duplicate checks
  /// in /leads/add stay O(1) however many leads a campaign holds.
  std::unordered_map<std::string, std::string>& lead_index() noexcept { return lead_index_; }
  static std::string lead_key(std::string_view scope, std::string_view email);
  /// Lead ids by lower-cased email across the workspace, for the
  /// `skip_if_in_workspace` style checks. Kept in step with lead_index().
  std::unordered_map<std::string, std::vector<std::string>>& leads_by_email() noexcept { return leads_by_email_; }
  /// Rebuilds lead_index() and leads_by_email() from the leads collection (after load()).
  void rebuild_indexes();

  // ---- the single workspace --------------------------------------------------
  Json& workspace() noexcept { return workspace_; }

  // ---- events ----------------------------------------------------------------
  void set_event_listener(EventListener listener) { listener_ = std::move(listener); }
  /// Hands a webhook payload to the listener (if any).
  void publish(const Json& payload);

  // ---- lifecycle -------------------------------------------------------------
  /// Forgets everything except the seed (and re-seeds the random source).
  void reset();
  Json to_json() const;
  void load(const Json& saved);

 private:
  void init_workspace();

  std::mutex mutex_;
  std::uint64_t seed_;
  std::mt19937_64 rng_;
  std::int64_t clock_offset_ms_ = 0;
  std::optional<std::int64_t> frozen_ms_;  ///< set by a ClockFreeze
  std::int64_t last_id_ms_ = 0;
  std::uint32_t id_sequence_ = 0;
  std::map<std::string, Collection, std::less<>> collections_;
  std::unordered_map<std::string, std::string> lead_index_;
  std::unordered_map<std::string, std::vector<std::string>> leads_by_email_;
  Json workspace_;
  EventListener listener_;
};

/// Lower-cases ASCII (emails are compared case-insensitively).
std::string lower(std::string_view text);

}  // namespace instantly::mock
