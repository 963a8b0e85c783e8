// The send simulation behind POST /__mock/send: each run sends one sequence
// step to every lead of the active campaigns and draws, from a seeded
// generator, what each lead does with it (open, click, reply, bounce, ...).
//
// Everything a real send leaves behind is produced: email records in the
// unibox, updated lead counters and timestamps, stored events (analytics) and
// webhook payloads (state.publish). All of one lead's step carries one instant
// (a State::ClockFreeze in send_step): a payload's `timestamp` equals the
// lead's timestamp_last_open/_click/_reply/_contact/_touch and the emails'
// timestamp_email, so a reconcile can rebuild events from the API's records.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>

#include "instantly/json.hpp"
#include "state.hpp"

namespace instantly::mock::simulation {

/// Probability of each outcome per email sent.
struct Rates {
  double opened = 0.6;
  double clicked = 0.1;
  double replied = 0.1;
  double bounced = 0.03;
  double unsubscribed = 0.02;
  double auto_reply = 0.02;
};

struct Request {
  std::optional<std::string> campaign_id;  ///< none: every active campaign
  std::optional<int> step;                 ///< 1-based; none: each lead's next step
  Rates rates;
  std::optional<std::uint64_t> seed;       ///< none: drawn from the state's generator
};

/// Reads the admin body; 400 on a malformed member.
Request parse_request(const Json& body);

/// Runs the simulation (state lock held) and returns the summary:
/// {"events": {"email_sent": n, ...}, "campaigns": [{"id", "name", "status", "emails_sent", "completed"}]}.
Json run(State& state, const Request& request);

// ---- internals shared by simulation.cpp and simulation_step.cpp ------------

/// What a lead has received from a campaign so far (from the stored events).
struct LeadProgress {
  int last_step = 0;
  std::set<int> sent_steps;
  std::string last_email_id;  ///< the latest step's mail: follow-ups go in its thread
};

/// One campaign's run.
struct CampaignRun {
  State& state;
  Json& campaign;
  std::mt19937_64& rng;
  const Rates& rates;
  std::map<std::string, std::int64_t>& counts;  ///< events by type, for the summary
  std::size_t next_sender = 0;                  ///< round-robin over email_list
};

/// Sends `step` to `lead` and plays out its outcomes.
void send_step(CampaignRun& run, Json& lead, int step, LeadProgress& progress);

/// The webhook payload of an event about `lead`, before reply fields.
Json lead_payload(State& state, std::string_view type, const Json& campaign, const Json& lead, const Json& sent_email,
                  int step, int variant, bool is_first);

}  // namespace instantly::mock::simulation
