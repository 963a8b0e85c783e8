// POST /__mock/send: request parsing, the run over campaigns and leads, and
// campaign completion. The per-lead work is in simulation_step.cpp.
#include "handlers/simulation.hpp"

#include <cmath>
#include <vector>

#include "handlers/campaign_handlers.hpp"
#include "handlers/campaign_records.hpp"
#include "handlers/simulation_events.hpp"
#include "http_error.hpp"

namespace instantly::mock::simulation {

namespace {

double rate(const Json& rates, std::string_view key, double fallback) {
  const Json* value = rates.find(key);
  if (!value) return fallback;
  if (!value->is_number() || value->as_double() < 0 || value->as_double() > 1) {
    bad_request("rates." + std::string(key) + " must be a number from 0 to 1");
  }
  return value->as_double();
}

/// What each lead of each campaign has been sent so far, from the stored events.
std::map<std::string, std::map<std::string, LeadProgress>> progress_by_campaign(State& state) {
  std::map<std::string, std::map<std::string, LeadProgress>> progress;
  for (const auto& [id, event] : state.collection(collections::kEvents).records()) {
    if (event.at("type").as_string() != events::kEmailSent) continue;
    LeadProgress& p = progress[event.at("campaign_id").as_string()][event.at("lead_id").as_string()];
    int step = static_cast<int>(event.at("step").as_int());
    p.sent_steps.insert(step);
    if (step >= p.last_step) {
      p.last_step = step;
      p.last_email_id = event.at("email_id").as_string();
    }
  }
  return progress;
}

bool lead_finished(const Json& lead, const LeadProgress& progress, std::size_t steps) {
  int status = campaign::int_member(lead, "status", campaign::kLeadActive);
  // Completed, bounced, unsubscribed or skipped: nothing more goes out.
  if (status == campaign::kLeadCompleted || status < 0) return true;
  return static_cast<std::size_t>(progress.last_step) >= steps;
}

/// Marks the campaign completed once every lead is done; returns whether it did.
bool complete_if_done(CampaignRun& run, const std::vector<Json*>& leads, std::map<std::string, LeadProgress>& progress) {
  if (leads.empty()) return false;
  std::size_t steps = campaign::step_count(run.campaign);
  for (const Json* lead : leads) {
    if (!lead_finished(*lead, progress[campaign::string_member(*lead, "id")], steps)) return false;
  }
  State::ClockFreeze instant(run.state);  // the campaign's timestamp_updated is the payload's timestamp
  run.campaign.set("status", campaign::kCompleted);
  run.campaign.set("timestamp_updated", run.state.now_iso());
  std::string id = campaign::string_member(run.campaign, "id");
  events::record(run.state, {events::kCampaignCompleted, id, "", "", 0, 0, "", true});
  run.state.publish(Json::object({{"timestamp", run.state.now_iso()},
                                  {"event_type", events::kCampaignCompleted},
                                  {"workspace", run.state.workspace().at("id")},
                                  {"campaign_id", id},
                                  {"campaign_name", campaign::string_member(run.campaign, "name")}}));
  ++run.counts[std::string(events::kCampaignCompleted)];
  return true;
}

}  // namespace

Request parse_request(const Json& body) {
  if (!body.is_object()) bad_request("the body must be a JSON object");
  Request request;
  if (const Json* id = body.find("campaign_id"); id && !id->is_null()) {
    if (!id->is_string()) bad_request("campaign_id must be a string");
    request.campaign_id = id->as_string();
  }
  if (const Json* step = body.find("step"); step && !step->is_null()) {
    if (!step->is_number() || step->as_double() < 1 || std::floor(step->as_double()) != step->as_double()) {
      bad_request("step must be a whole number from 1 (the first step)");
    }
    request.step = static_cast<int>(step->as_double());
  }
  if (const Json* rates = body.find("rates"); rates && !rates->is_null()) {
    if (!rates->is_object()) bad_request("rates must be an object such as {\"opened\": 0.5}");
    Rates& r = request.rates;
    r.opened = rate(*rates, "opened", r.opened);
    r.clicked = rate(*rates, "clicked", r.clicked);
    r.replied = rate(*rates, "replied", r.replied);
    r.bounced = rate(*rates, "bounced", r.bounced);
    r.unsubscribed = rate(*rates, "unsubscribed", r.unsubscribed);
    r.auto_reply = rate(*rates, "auto_reply", r.auto_reply);
  }
  if (const Json* seed = body.find("seed"); seed && !seed->is_null()) {
    if (!seed->is_int() || seed->as_int() < 0) bad_request("seed must be a non-negative integer");
    request.seed = static_cast<std::uint64_t>(seed->as_int());
  }
  return request;
}

Json run(State& state, const Request& request) {
  auto& campaigns = state.collection(collections::kCampaigns);
  std::vector<Json*> selected;
  if (request.campaign_id) {
    Json& c = campaign::require(state, *request.campaign_id);
    if (campaign::status_of(c) != campaign::kActive) {
      bad_request("campaign " + *request.campaign_id + " is not active (status " +
                  std::to_string(campaign::status_of(c)) + "): activate it before sending");
    }
    if (request.step && static_cast<std::size_t>(*request.step) > campaign::step_count(c)) {
      bad_request("campaign " + *request.campaign_id + " has " + std::to_string(campaign::step_count(c)) +
                  " step(s); there is no step " + std::to_string(*request.step));
    }
    selected.push_back(&c);
  } else {
    for (auto& [id, c] : campaigns.records()) {
      if (campaign::status_of(c) == campaign::kActive) selected.push_back(&c);
    }
  }

  // A private generator: equal seeds give equal runs whatever else uses state.rng().
  std::mt19937_64 rng(request.seed ? *request.seed : state.rng()());
  std::map<std::string, std::int64_t> counts;
  for (auto type : events::kAllTypes) counts[std::string(type)] = 0;
  auto progress = progress_by_campaign(state);

  Json summaries = Json::array();
  for (Json* c : selected) {
    CampaignRun run{state, *c, rng, request.rates, counts};
    std::string id = campaign::string_member(*c, "id");
    auto& leads_progress = progress[id];
    auto leads = campaign::leads_of(state, id);
    std::size_t steps = campaign::step_count(*c);
    std::int64_t sent = 0;
    for (Json* lead : leads) {
      LeadProgress& p = leads_progress[campaign::string_member(*lead, "id")];
      // Completed, paused, bounced, unsubscribed or skipped leads get nothing more.
      if (campaign::int_member(*lead, "status", campaign::kLeadActive) != campaign::kLeadActive) continue;
      int step = request.step ? *request.step : p.last_step + 1;
      if (static_cast<std::size_t>(step) > steps || p.sent_steps.contains(step)) continue;
      send_step(run, *lead, step, p);
      ++sent;
    }
    bool completed = complete_if_done(run, leads, leads_progress);
    summaries.push_back(Json::object({{"id", id},
                                      {"name", campaign::string_member(*c, "name")},
                                      {"status", campaign::status_of(*c)},
                                      {"leads", static_cast<std::int64_t>(leads.size())},
                                      {"emails_sent", sent},
                                      {"completed", completed}}));
  }
  Json by_type = Json::object();
  for (auto type : events::kAllTypes) by_type.set(std::string(type), counts[std::string(type)]);
  return Json::object({{"events", std::move(by_type)}, {"campaigns", std::move(summaries)}});
}

}  // namespace instantly::mock::simulation

namespace instantly::mock {

void register_send_simulation_route(AdminRouter& admin) {
  // Body: {"campaign_id": "...", "step": 1, "seed": 7,
  //        "rates": {"opened": 0.6, "clicked": 0.1, "replied": 0.1, "bounced": 0.03,
  //                  "unsubscribed": 0.02, "auto_reply": 0.02}}   (every member optional)
  admin.on("POST", "/send", [](const Call& call, State& state) {
    auto request = simulation::parse_request(call.body_or_empty());
    auto lock = state.lock();
    return Reply::json(simulation::run(state, request));
  });
}

}  // namespace instantly::mock
