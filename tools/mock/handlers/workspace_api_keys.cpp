// API keys: the secret is shown in full once, in the create answer; list
// and delete show it masked, as a key listing in the app does.
#include <string>

#include "collection.hpp"
#include "handlers/workspace_parts.hpp"
#include "http_error.hpp"

namespace instantly::mock::workspace {

namespace {

constexpr std::size_t kVisiblePrefix = 6;

std::string new_secret(State& state) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string secret;
  secret.reserve(48);
  for (int i = 0; i < 48; ++i) secret += kAlphabet[state.rng()() % (sizeof kAlphabet - 1)];
  return secret;
}

/// The record as listings show it: the key cut to a recognisable prefix.
Json masked(Json key) {
  const std::string& secret = key.at("key").as_string();
  key.set("key", secret.substr(0, kVisiblePrefix) + std::string(secret.size() - kVisiblePrefix, '*'));
  return key;
}

Reply create_key(const Call& call, State& state) {
  std::string id = state.new_id();
  std::string now = state.now_iso();
  Json key = Json::object({{"id", id},
                           {"name", call.field("name")->as_string()},
                           {"scopes", *call.field("scopes")},
                           {"key", new_secret(state)},
                           {"organization_id", state.workspace().at("id")},
                           {"timestamp_created", now},
                           {"timestamp_updated", now}});
  return Reply::json(state.collection(collections::kApiKeys).put(std::move(id), std::move(key)));
}

Reply list_keys(const Call& call, State& state) {
  auto request = page_request(call.query_value("limit"), call.query_value("starting_after"));
  Json page = state.collection(collections::kApiKeys).page(request);
  Json items = Json::array();
  for (const Json& key : page.at("items").as_array()) items.push_back(masked(key));
  page.set("items", std::move(items));
  return Reply::json(std::move(page));
}

Reply delete_key(const Call& call, State& state) {
  Collection& keys = state.collection(collections::kApiKeys);
  const Json* key = keys.find(call.param("id"));
  if (!key) not_found("API key", call.param("id"));
  Json reply = masked(*key);
  keys.erase(call.param("id"));
  return Reply::json(std::move(reply));
}

}  // namespace

void register_api_key_handlers(Router& api) {
  api.on("createAPIKey", create_key);
  api.on("listAPIKey", list_keys);
  api.on("deleteAPIKey", delete_key);
}

}  // namespace instantly::mock::workspace
