#include "handlers/handlers.hpp"

namespace instantly::mock {

void register_lead_handlers(Router&, AdminRouter&) {}

}  // namespace instantly::mock
