// Leads, lead lists and the block list; each part lives in its own lead_*.cpp.
#include "handlers/handlers.hpp"
#include "handlers/lead_handlers.hpp"

namespace instantly::mock {

void register_lead_handlers(Router& api, AdminRouter&) {
  leads::register_bulk_add_handler(api);
  leads::register_lead_crud_handlers(api);
  leads::register_lead_action_handlers(api);
  leads::register_lead_list_handlers(api);
  leads::register_block_list_handlers(api);
}

}  // namespace instantly::mock
