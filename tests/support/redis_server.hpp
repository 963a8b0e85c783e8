// A real redis-server for a test: 127.0.0.1, a free port, a temporary
// directory, no persistence; stopped (SIGTERM, then waited for) by the
// destructor.
//
//   RedisServer redis;                        // or RedisServer redis({.password = "s3cret"});
//   auto url = redis.url();                   // "redis://127.0.0.1:PORT"
//
// Debian's redis-server is installed by scripts/setup; a missing binary fails
// the test with a message rather than skipping it.
#pragma once

#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/local_server.hpp"

namespace instantly::testing {

struct RedisServerOptions {
  std::optional<std::string> password;  ///< `requirepass`
};

class RedisServer {
 public:
  static constexpr const char* kBinary = "/usr/bin/redis-server";

  explicit RedisServer(RedisServerOptions options = {}) : password_(std::move(options.password)) {
    if (!std::filesystem::exists(kBinary)) {
      throw std::runtime_error(std::string(kBinary) + " is missing: scripts/setup installs redis-server");
    }
    char pattern[] = "/tmp/instantly-redis-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("RedisServer: mkdtemp failed");
    dir_ = pattern;
    start();
  }

  ~RedisServer() { stop(); }
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const noexcept { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

  /// Stops the server (SIGKILL: as a crash would), leaving the port free.
  void kill() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }

  /// Starts it again on the same port (after kill()).
  void restart() {
    kill();
    start(port_);
  }

 private:
  void start(int port = 0) {
    port_ = port != 0 ? port : unused_local_port();
    std::vector<std::string> args{kBinary,     "--port",       std::to_string(port_), "--bind", "127.0.0.1",
                                  "--save",    "",             "--appendonly",        "no",     "--dir",
                                  dir_,        "--logfile",    dir_ + "/redis.log",   "--daemonize", "no"};
    if (password_) {
      args.push_back("--requirepass");
      args.push_back(*password_);
    }
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("RedisServer: fork failed");
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(kBinary, argv.data());
      ::_exit(127);
    }
    wait_until_listening();
  }

  void wait_until_listening() const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(static_cast<std::uint16_t>(port_));
      const bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
      ::close(fd);
      if (up) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("RedisServer: redis-server did not start listening on port " + std::to_string(port_));
  }

  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  std::optional<std::string> password_;
  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace instantly::testing
