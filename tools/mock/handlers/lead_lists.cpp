// Lead lists: CRUD, a cursor listing with name search, verification stats.
// Deleting a list deletes its leads, which is what keeps the lead index
// free of entries for lists that no longer exist.
#include <optional>
#include <string>
#include <vector>

#include "collection.hpp"
#include "handlers/lead_handlers.hpp"
#include "handlers/lead_records.hpp"
#include "http_error.hpp"

namespace instantly::mock::leads {

namespace {

void apply_list_fields(Json& list, const Json& body) {
  for (std::string_view field : {"name", "has_enrichment_task", "owned_by"}) {
    if (const Json* value = body.find(field)) list.set(std::string(field), *value);
  }
}

Reply create_list(const Call& call, State& state) {
  std::string id = state.new_id();
  Json list = Json::object({{"id", id},
                            {"organization_id", state.workspace().at("id")},
                            {"has_enrichment_task", false},
                            {"owned_by", nullptr},
                            {"name", ""},
                            {"timestamp_created", state.now_iso()}});
  apply_list_fields(list, call.body_or_empty());
  return Reply::json(state.collection(collections::kLeadLists).put(std::move(id), std::move(list)));
}

Reply list_lists(const Call& call, State& state) {
  auto request = page_request(call.query_value("limit"), call.query_value("starting_after"));
  std::string search = lower(call.query_value("search").value_or(""));
  std::optional<bool> enrichment;
  if (auto value = call.query_value("has_enrichment_task")) enrichment = *value == "true";
  return Reply::json(state.collection(collections::kLeadLists).page(request, [&](const Json& list) {
    if (enrichment) {
      const Json* has = list.find("has_enrichment_task");
      if ((has && has->is_bool() && has->as_bool()) != *enrichment) return false;
    }
    return search.empty() || lower(list.at("name").as_string()).find(search) != std::string::npos;
  }));
}

Reply patch_list(const Call& call, State& state) {
  Json& list = lead_list_or_404(state, call.param("id"));
  apply_list_fields(list, call.body_or_empty());
  return Reply::json(list);
}

Reply delete_list(const Call& call, State& state) {
  Json list = lead_list_or_404(state, call.param("id"));
  std::vector<std::string> members;
  for (const auto& [id, lead] : state.collection(collections::kLeads).records()) {
    const std::string* list_id = string_field(lead, "list_id");
    if (list_id && *list_id == call.param("id")) members.push_back(id);
  }
  for (const auto& id : members) erase_lead(state, id);
  state.collection(collections::kLeadLists).erase(call.param("id"));
  return Reply::json(std::move(list));
}

/// Counts the list's leads by verification_status (unverified leads count only in the total).
Reply verification_stats(const Call& call, State& state) {
  lead_list_or_404(state, call.param("id"));
  std::int64_t total = 0, verified = 0, invalid = 0, risky = 0, catch_all = 0, pending = 0;
  for (const auto& [id, lead] : state.collection(collections::kLeads).records()) {
    const std::string* list_id = string_field(lead, "list_id");
    if (!list_id || *list_id != call.param("id")) continue;
    ++total;
    const Json* status = lead.find("verification_status");
    if (!status || !status->is_number()) continue;
    switch (static_cast<int>(status->as_double())) {
      case 1: ++verified; break;
      case -1: ++invalid; break;
      case -2: ++risky; break;
      case -3: ++catch_all; break;
      case 11:
      case 12: ++pending; break;
      default: break;
    }
  }
  Json stats = Json::object({{"verified", verified},
                             {"invalid", invalid},
                             {"risky", risky},
                             {"catch_all", catch_all},
                             {"job_change", 0},
                             {"verification_job_pending_leadfinder", 0},
                             {"verification_job_pending_user", pending}});
  return Reply::json(Json::object({{"stats", std::move(stats)}, {"total_leads", total}}));
}

}  // namespace

void register_lead_list_handlers(Router& api) {
  api.on("createLeadList", create_list);
  api.on("listLeadList", list_lists);
  api.on("getLeadList",
         [](const Call& call, State& state) { return Reply::json(lead_list_or_404(state, call.param("id"))); });
  api.on("patchLeadList", patch_list);
  api.on("deleteLeadList", delete_list);
  api.on("getVerificationStats", verification_stats);
}

}  // namespace instantly::mock::leads
