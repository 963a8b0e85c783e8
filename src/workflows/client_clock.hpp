// The clock a workflow waits on: the client's own (ClientOptions::clock), so
// that tests with a fake clock never really sleep and every wait can be stopped.
#pragma once

#include "instantly/client.hpp"
#include "instantly/options.hpp"

namespace instantly::workflows::detail {

/// The client's clock; the system clock when ClientOptions::clock is empty.
inline Clock& clock_of(const Client& client) {
  const std::shared_ptr<Clock>& clock = client.options().clock;
  return clock ? *clock : *system_clock();
}

}  // namespace instantly::workflows::detail
