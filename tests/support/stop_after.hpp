// Requests a stop from another thread after a delay, as Ctrl-C or a service's
// shutdown would while a call is running. Join (destroy) it before `stop` goes.
#pragma once

#include <chrono>
#include <stop_token>
#include <thread>

namespace instantly::testing {

inline std::jthread stop_after(std::stop_source& stop, std::chrono::milliseconds delay) {
  return std::jthread([&stop, delay] {
    std::this_thread::sleep_for(delay);
    stop.request_stop();
  });
}

}  // namespace instantly::testing
