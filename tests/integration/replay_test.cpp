// A request that is not replayable is never sent twice by the transport.
//
// libcurl repeats a request once, on its own, when a reused keep-alive
// connection dies before the answer. The server below does exactly that to
// every second request on a connection: it reads it (so it "did the work") and
// hangs up. A replayable GET is then repeated by libcurl; a POST the core marks
// as not idempotent must arrive once.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "instantly/client.hpp"
#include "instantly/error.hpp"
#include "instantly/transport.hpp"

namespace {

using namespace std::chrono_literals;

/// Answers the first request of each connection, swallows the second one and closes.
class HangUpOnReuseServer {
 public:
  HangUpOnReuseServer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(listener_, 16) == 0);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~HangUpOnReuseServer() {
    ::shutdown(listener_, SHUT_RDWR);
    acceptor_.join();
    ::close(listener_);
    // The client keeps its connections open: wake the threads reading them.
    for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
    for (auto& connection : connections_) connection.join();
    for (int fd : fds_) ::close(fd);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  /// Requests received (answered or not), by method.
  int received(const std::string& method) {
    std::lock_guard lock(mutex_);
    return received_[method];
  }

 private:
  void accept_loop() {
    for (;;) {
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      fds_.push_back(fd);
      connections_.emplace_back([this, fd] { serve(fd); });
    }
  }

  void serve(int fd) {
    std::string buffer;
    for (int on_this_connection = 1;; ++on_this_connection) {
      std::string method = read_request(fd, buffer);
      if (method.empty()) break;
      {
        std::lock_guard lock(mutex_);
        ++received_[method];
      }
      if (on_this_connection > 1) break;  // read, then hang up without a word
      const std::string answer =
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
      if (::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL) < 0) break;
    }
    ::shutdown(fd, SHUT_RDWR);  // the client sees the hang-up; the fd is closed by the destructor
  }

  /// The method of the next whole request (head and Content-Length body), or "" at EOF.
  static std::string read_request(int fd, std::string& buffer) {
    auto fill = [&] {
      char chunk[4096];
      ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
      return true;
    };
    std::size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return "";
    }
    std::string head = buffer.substr(0, head_end);
    std::size_t body_length = 0;
    if (auto at = head.find("Content-Length: "); at != std::string::npos) {
      body_length = std::stoul(head.substr(at + 16));
    }
    while (buffer.size() < head_end + 4 + body_length) {
      if (!fill()) return "";
    }
    buffer.erase(0, head_end + 4 + body_length);
    return head.substr(0, head.find(' '));
  }

  int listener_ = -1;
  int port_ = 0;
  std::thread acceptor_;
  // Only the acceptor adds to these; the destructor reads them after joining it.
  std::vector<int> fds_;
  std::vector<std::thread> connections_;
  std::mutex mutex_;
  std::map<std::string, int> received_;
};

instantly::Client client_for(const std::string& url) {
  instantly::ClientOptions options{.api_key = "replay-test-key", .base_url = url};
  options.retry.max_retries = 0;  // only the transport could repeat anything here
  options.rate_limit.enabled = false;
  // One pooled handle: every call gets the connection the previous one left.
  options.transport = instantly::make_curl_transport({.max_idle_connections = 1});
  return instantly::Client(options);
}

}  // namespace

TEST_SUITE("transport replays") {
  TEST_CASE("a POST that is not idempotent goes out on a fresh connection and arrives once") {
    HangUpOnReuseServer server;
    instantly::Client client = client_for(server.url());
    client.request("GET", "/api/v2/campaigns");  // leaves a keep-alive connection to reuse

    // Were it sent on that connection, the server would swallow it and hang up, and
    // libcurl would send it again on a new one: two arrivals for one call.
    client.request("POST", "/api/v2/leads/add", {.body = instantly::Json::object({{"campaign_id", "c"}})});
    CHECK(server.received("POST") == 1);
  }

  TEST_CASE("a replayable GET may be repeated by the transport: the call still succeeds") {
    HangUpOnReuseServer server;
    instantly::Client client = client_for(server.url());
    client.request("GET", "/api/v2/campaigns");
    // The reused connection is swallowed and closed; libcurl repeats the GET on a new one.
    CHECK_NOTHROW(client.request("GET", "/api/v2/campaigns"));
    CHECK(server.received("GET") == 3);
  }

  TEST_CASE("a POST marked idempotent may reuse the connection like a GET") {
    HangUpOnReuseServer server;
    instantly::Client client = client_for(server.url());
    client.request("GET", "/api/v2/campaigns");
    client.request("POST", "/api/v2/leads/list", {.body = instantly::Json::object({{"limit", 1}}), .idempotent = true});
    CHECK(server.received("POST") == 2);  // swallowed on the reused connection, then repeated
  }
}
