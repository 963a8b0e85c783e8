#include "handlers/handlers.hpp"

namespace instantly::mock {

void register_campaign_handlers(Router&, AdminRouter&) {}

}  // namespace instantly::mock
