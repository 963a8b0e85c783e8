// Campaign records: create, list, get, patch, delete. Status transitions,
// analytics and the send simulation live in the other campaign_*.cpp files.
#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <sstream>

#include "handlers/campaign_handlers.hpp"
#include "handlers/campaign_records.hpp"
#include "handlers/handlers.hpp"
#include "handlers/lead_records.hpp"
#include "http_error.hpp"

namespace instantly::mock {

namespace {

/// Settings the real API fills in on a new campaign when the body leaves them
/// out, so a client reading one back sees a complete record.
Json campaign_defaults(State& state) {
  return Json::object({{"pl_value", nullptr},
                       {"is_evergreen", false},
                       {"sequences", Json::array()},
                       {"email_gap", 10},
                       {"random_wait_max", 10},
                       {"text_only", false},
                       {"first_email_text_only", false},
                       {"email_list", Json::array()},
                       {"daily_limit", 50},
                       {"stop_on_reply", true},
                       {"email_tag_list", Json::array()},
                       {"link_tracking", true},
                       {"open_tracking", true},
                       {"stop_on_auto_reply", false},
                       {"daily_max_leads", nullptr},
                       {"prioritize_new_leads", false},
                       {"auto_variant_select", nullptr},
                       {"match_lead_esp", false},
                       {"stop_for_company", false},
                       {"core_variables", nullptr},
                       {"custom_variables", nullptr},
                       {"insert_unsubscribe_header", false},
                       {"allow_risky_contacts", false},
                       {"disable_bounce_protect", false},
                       {"limit_emails_per_company_override", nullptr},
                       {"cc_list", Json::array()},
                       {"bcc_list", Json::array()},
                       {"organization", state.workspace().at("id")},
                       {"owned_by", state.workspace().at("owner")},
                       {"ai_sdr_id", nullptr},
                       {"provider_routing_rules", Json::array()}});
}

Reply create_campaign(const Call& call, State& state) {
  std::string id = state.new_id();
  std::string now = state.now_iso();
  Json campaign = Json::object({{"id", id}});
  // Every body field is kept as sent; the gateway has validated them.
  for (const auto& [key, value] : call.body_or_empty().as_object()) campaign.set(key, value);
  campaign.set("status", campaign::kDraft);
  Json defaults = campaign_defaults(state);
  for (auto& [key, value] : defaults.as_object()) {
    if (!campaign.contains(key)) campaign.set(key, std::move(value));
  }
  campaign.set("timestamp_created", now);
  campaign.set("timestamp_updated", now);
  return Reply::json(state.collection(collections::kCampaigns).put(std::move(id), std::move(campaign)));
}

std::optional<int> status_query(const Call& call, std::string_view key) {
  auto text = call.query_value(key);
  if (!text || text->empty()) return std::nullopt;
  try {
    return static_cast<int>(std::lround(std::stod(*text)));
  } catch (const std::exception&) {
    bad_request(std::string(key) + " must be a campaign status number");
  }
}

std::vector<std::string> split_tag_ids(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

/// Campaign ids that carry any of the tags (custom tag mappings).
std::set<std::string, std::less<>> campaigns_tagged(State& state, const std::vector<std::string>& tag_ids) {
  std::set<std::string, std::less<>> tagged;
  for (const auto& [id, mapping] : state.collection(collections::kCustomTagMappings).records()) {
    std::string tag = campaign::string_member(mapping, "tag_id");
    if (std::find(tag_ids.begin(), tag_ids.end(), tag) != tag_ids.end()) {
      tagged.insert(campaign::string_member(mapping, "resource_id"));
    }
  }
  return tagged;
}

Reply list_campaigns(const Call& call, State& state) {
  auto request = page_request(call.query_value("limit"), call.query_value("starting_after"));
  std::string search = lower(call.query_value("search").value_or(""));
  auto status = status_query(call, "status");
  auto excluded = status_query(call, "exclude_status");
  auto agent = call.query_value("ai_sales_agent_id");
  std::optional<std::set<std::string, std::less<>>> tagged;
  if (auto tags = call.query_value("tag_ids"); tags && !tags->empty()) {
    tagged = campaigns_tagged(state, split_tag_ids(*tags));
  }
  auto keep = [&](const Json& c) {
    if (!search.empty() && lower(campaign::string_member(c, "name")).find(search) == std::string::npos) return false;
    if (status && campaign::status_of(c) != *status) return false;
    if (excluded && campaign::status_of(c) == *excluded) return false;
    if (agent && !agent->empty() && campaign::string_member(c, "ai_sdr_id") != *agent) return false;
    if (tagged && !tagged->contains(campaign::string_member(c, "id"))) return false;
    return true;
  };
  return Reply::json(state.collection(collections::kCampaigns).page(request, keep));
}

Reply get_campaign(const Call& call, State& state) { return Reply::json(campaign::require(state, call.param("id"))); }

Reply patch_campaign(const Call& call, State& state) {
  Json& campaign = campaign::require(state, call.param("id"));
  // A member replaces the stored one wholesale (email_list included: it is the
  // new sender list, not an addition); null clears it.
  for (const auto& [key, value] : call.body_or_empty().as_object()) campaign.set(key, value);
  campaign.set("timestamp_updated", state.now_iso());
  return Reply::json(campaign);
}

Reply delete_campaign(const Call& call, State& state) {
  auto& campaigns = state.collection(collections::kCampaigns);
  Json deleted = campaign::require(state, call.param("id"));
  campaigns.erase(call.param("id"));
  // Its leads go with it (and out of the duplicate-check indexes), so a new
  // campaign reusing those emails does not see phantom duplicates.
  std::vector<std::string> orphaned;
  for (const auto& [id, lead] : state.collection(collections::kLeads).records()) {
    const Json* owner = lead.find("campaign");
    if (owner && owner->is_string() && owner->as_string() == call.param("id")) orphaned.push_back(id);
  }
  for (const auto& id : orphaned) leads::erase_lead(state, id);
  return Reply::json(std::move(deleted));
}

}  // namespace

void register_campaign_handlers(Router& api, AdminRouter& admin) {
  api.on("createCampaign", create_campaign);
  api.on("listCampaign", list_campaigns);
  api.on("getCampaign", get_campaign);
  api.on("patchCampaign", patch_campaign);
  api.on("deleteCampaign", delete_campaign);
  register_campaign_lifecycle_handlers(api);
  register_campaign_analytics_handlers(api);
  register_send_simulation_route(admin);
}

}  // namespace instantly::mock
