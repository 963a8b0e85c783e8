#include "webhook_dispatcher.hpp"

namespace instantly::mock {

struct WebhookDispatcher::Impl {};

WebhookDispatcher::WebhookDispatcher(State&, std::vector<int>, int) : impl_(std::make_unique<Impl>()) {}
WebhookDispatcher::~WebhookDispatcher() = default;
void WebhookDispatcher::enqueue(Json) {}
void WebhookDispatcher::enqueue_for(std::string, Json) {}
bool WebhookDispatcher::wait_idle(std::chrono::milliseconds) { return true; }
void WebhookDispatcher::set_retry_delays(std::vector<int>) {}
void WebhookDispatcher::stop() {}

}  // namespace instantly::mock
