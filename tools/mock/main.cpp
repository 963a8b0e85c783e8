// instantly-mock: a stateful local Instantly API v2 (docs/mock.md).
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>

#include "instantly/version.hpp"
#include "mock_options.hpp"
#include "mock_server.hpp"

int main(int argc, char** argv) {
  using namespace instantly::mock;
  CommandLine command_line;
  try {
    command_line = parse_command_line(argc, argv);
  } catch (const std::invalid_argument& e) {
    std::cerr << "instantly-mock: " << e.what() << "\n";
    return 2;
  }
  if (command_line.show_help) {
    std::cout << command_line.help;
    return 0;
  }
  if (command_line.show_version) {
    std::cout << "instantly-mock " << instantly::kVersion << "\n";
    return 0;
  }

  // SIGINT/SIGTERM are blocked in every thread (the server's threads inherit
  // the mask) and taken synchronously below, so shutdown runs in main().
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    MockServer server(command_line.options);
    server.start();
    std::cout << "listening on " << server.url() << std::endl;
    int signal = 0;
    sigwait(&stop_signals, &signal);
    std::cerr << "instantly-mock: " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ", shutting down\n";
    server.stop();
  } catch (const std::exception& e) {
    std::cerr << "instantly-mock: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
