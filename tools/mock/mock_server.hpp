// instantly-mock as a library: the binary's main() and the test suites both
// run a MockServer. start() binds and serves on a background thread; stop()
// (or the destructor) shuts down, saving state when a state file is set.
//
//   instantly::mock::MockServer mock({.port = 0});
//   mock.start();
//   auto client = instantly::Client({.api_key = "k", .base_url = mock.url()});
#pragma once

#include <memory>
#include <string>

#include "mock_options.hpp"
#include "state.hpp"

namespace instantly::mock {

class MockServer {
 public:
  explicit MockServer(MockOptions options = {});
  ~MockServer();
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  /// Loads the state file (if any), binds and starts serving. Returns the port.
  /// Throws std::runtime_error when the address cannot be bound or the state
  /// file cannot be read.
  int start();
  /// Stops serving, finishes in-flight requests, saves the state file. Idempotent.
  void stop();
  int port() const;
  /// "http://127.0.0.1:PORT"
  std::string url() const;
  /// The server's state; lock it (state().lock()) before touching it while serving.
  State& state();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace instantly::mock
