#include "handlers/handlers.hpp"

namespace instantly::mock {

void register_workspace_handlers(Router&, AdminRouter&) {}

}  // namespace instantly::mock
