// The parts register_workspace_handlers() is made of, and the query helper
// they share.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

#include "call.hpp"
#include "router.hpp"

namespace instantly::mock::workspace {

void register_background_job_handlers(Router& api);  // workspace_jobs.cpp
void register_custom_tag_handlers(Router& api);      // workspace_tags.cpp
void register_api_key_handlers(Router& api);         // workspace_api_keys.cpp

/// The values of a list-valued query parameter, whether sent comma-separated
/// (`ids=a,b`) or repeated (`ids=a&ids=b`). Empty when absent.
std::unordered_set<std::string> query_list(const Call& call, std::string_view key);

}  // namespace instantly::mock::workspace
