#include "handlers/handlers.hpp"

namespace instantly::mock {

void register_email_handlers(Router&, AdminRouter&) {}

}  // namespace instantly::mock
