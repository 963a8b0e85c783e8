// One instantly-mock per integration suite: started in-process on first use,
// on 127.0.0.1 and a port the OS picks, and stopped when the test binary exits.
// Cases share it and start from POST /__mock/reset.
#pragma once

#ifdef INSTANTLY_HAVE_MOCK
#include <memory>

#include "mock_server.hpp"

namespace instantly::testing {

/// The suite's server; `Suite` is a tag type of the test file's own (say
/// `struct HealthSuite`), so every suite has a server and a state of its own.
/// `options` count on the first call only; their port is always 0.
template <class Suite>
mock::MockServer& suite_mock(mock::MockOptions options = {}) {
  static std::unique_ptr<mock::MockServer> server = [&options] {
    options.port = 0;
    auto started = std::make_unique<mock::MockServer>(options);
    started->start();
    return started;
  }();
  return *server;
}

}  // namespace instantly::testing
#endif
