// A webhook endpoint for the mock's tests: an HTTP server on
// 127.0.0.1:<any port> that records every POST and answers with `status`
// (change it at any time to take the receiver "down" or bring it back).
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "instantly/json.hpp"

namespace instantly::mock::testing {

struct Received {
  std::string path;
  std::string body;
  httplib::Headers headers;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class Receiver {
 public:
  Receiver() {
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      res.status = status.load();  // read first: a test may change it once it sees the request
      {
        std::lock_guard lock(mutex_);
        received_.push_back({req.path, req.body, req.headers});
      }
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  std::string url(const std::string& path = "/hook") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  std::vector<Received> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }
  /// What arrived at `path`, in arrival order.
  std::vector<Received> received_at(const std::string& path) {
    std::lock_guard lock(mutex_);
    std::vector<Received> out;
    for (const auto& r : received_) {
      if (r.path == path) out.push_back(r);
    }
    return out;
  }
  std::size_t count(const std::string& path) { return received_at(path).size(); }
  /// Polls until at least `n` requests arrived (anywhere), or `timeout` passes.
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (received().size() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return received().size() >= n;
  }

  std::atomic<int> status{200};

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<Received> received_;
};

}  // namespace instantly::mock::testing
