// GET /api/v2/accounts: filters, optional sorting, email-order cursor.
#include <algorithm>
#include <charconv>

#include "handlers/account_records.hpp"
#include "http_error.hpp"

namespace instantly::mock {

namespace {

bool contains_lower(const Json* value, const std::string& needle) {
  return value && value->is_string() && lower(value->as_string()).find(needle) != std::string::npos;
}

/// The account's tags as the listing shows them with include_tags=true.
Json tags_of(State& state, const std::string& email) {
  Json tags = Json::array();
  auto& all_tags = state.collection(collections::kCustomTags);
  for (const auto& [id, mapping] : state.collection(collections::kCustomTagMappings).records()) {
    const Json* resource = mapping.find("resource_id");
    const Json* tag_id = mapping.find("tag_id");
    if (!resource || !resource->is_string() || lower(resource->as_string()) != email) continue;
    if (!tag_id || !tag_id->is_string()) continue;
    const Json* tag = all_tags.find(tag_id->as_string());
    if (!tag) continue;
    const Json* description = tag->find("description");
    tags.push_back(Json::object({{"id", tag_id->as_string()},
                                 {"label", tag->find("label") ? *tag->find("label") : Json("")},
                                 {"description", description ? *description : Json()}}));
  }
  return tags;
}

std::size_t parse_skip(const std::optional<std::string>& text) {
  if (!text) return 0;
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) bad_request("skip must be a non-negative integer");
  return value;
}

/// Orders by a column; equal values keep email order, so pages are stable.
void sort_accounts(std::vector<const Json*>& accounts, const std::string& column, bool descending) {
  auto key_less = [&](const Json* a, const Json* b) {
    const Json* x = a->find(column);
    const Json* y = b->find(column);
    bool x_null = !x || x->is_null();
    bool y_null = !y || y->is_null();
    if (x_null || y_null) return x_null && !y_null;  // nulls first ascending
    if (x->is_number() && y->is_number()) return x->as_double() < y->as_double();
    if (x->is_string() && y->is_string()) return x->as_string() < y->as_string();
    return false;
  };
  std::stable_sort(accounts.begin(), accounts.end(),
                   [&](const Json* a, const Json* b) { return descending ? key_less(b, a) : key_less(a, b); });
}

Reply list_accounts(const Call& call, State& state) {
  auto search = call.query_value("search");
  std::string needle = search ? lower(*search) : "";
  auto status = call.query_value("status");
  auto provider = call.query_value("provider_code");
  auto filter = call.query_value("filter");
  auto any_tags = call.query_value("tag_ids");
  auto all_tags = call.query_value("tag_ids_all");
  std::vector<std::string> any_ids = any_tags ? split_list(*any_tags) : std::vector<std::string>{};
  std::vector<std::string> all_ids = all_tags ? split_list(*all_tags) : std::vector<std::string>{};

  auto keep = [&](const Json& account) {
    const std::string& email = account.at("email").as_string();
    if (search && !contains_lower(account.find("email"), needle) && !contains_lower(account.find("first_name"), needle) &&
        !contains_lower(account.find("last_name"), needle)) {
      return false;
    }
    if (status && account.at("status").as_double() != std::stod(*status)) return false;
    if (provider && account.at("provider_code").as_double() != std::stod(*provider)) return false;
    if (filter && !account_matches_filter(account, *filter)) return false;
    if (!any_ids.empty() && !account_has_tags(state, email, any_ids, false)) return false;
    if (!all_ids.empty() && !account_has_tags(state, email, all_ids, true)) return false;
    return true;
  };

  auto request = page_request(call.query_value("limit"), call.query_value("starting_after"));
  auto& accounts = state.collection(collections::kAccounts);
  Json page;
  if (auto sort_by = call.query_value("sort_by")) {
    // A sorted listing pages by offset (`skip`): the email cursor no longer applies.
    std::vector<const Json*> matching;
    for (const auto& [email, account] : accounts.records()) {
      if (keep(account)) matching.push_back(&account);
    }
    sort_accounts(matching, *sort_by, call.query_value("sort_order").value_or("desc") == "desc");
    std::size_t skip = std::min(parse_skip(call.query_value("skip")), matching.size());
    Json items = Json::array();
    for (std::size_t i = skip; i < matching.size() && items.size() < request.limit; ++i) items.push_back(*matching[i]);
    page = Json::object({{"items", std::move(items)}});
  } else {
    page = accounts.page(request, keep);
  }

  if (call.query_value("include_tags") == "true") {
    for (auto& item : page["items"].as_array()) item.set("tags", tags_of(state, item.at("email").as_string()));
  }
  return Reply::json(std::move(page));
}

}  // namespace

void register_account_list_handler(Router& api) { api.on("listAccount", list_accounts); }

}  // namespace instantly::mock

