#include "handlers/handlers.hpp"

namespace instantly::mock {

void register_account_handlers(Router&, AdminRouter&) {}

}  // namespace instantly::mock
