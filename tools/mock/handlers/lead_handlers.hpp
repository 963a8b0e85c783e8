// The parts register_lead_handlers() is made of, one file each.
#pragma once

#include "router.hpp"

namespace instantly::mock::leads {

void register_bulk_add_handler(Router& api);       // lead_bulk_add.cpp: POST /leads/add
void register_lead_crud_handlers(Router& api);     // lead_crud.cpp: create/get/patch/delete/bulk delete/list
void register_lead_action_handlers(Router& api);   // lead_actions.cpp: move, interest status, bulk assign
void register_lead_list_handlers(Router& api);     // lead_lists.cpp
void register_block_list_handlers(Router& api);    // lead_block_list.cpp

}  // namespace instantly::mock::leads
