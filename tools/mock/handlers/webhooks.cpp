#include "handlers/handlers.hpp"
#include "webhook_dispatcher.hpp"

namespace instantly::mock {

void register_webhook_handlers(Router&, AdminRouter&, WebhookDispatcher&) {}

}  // namespace instantly::mock
