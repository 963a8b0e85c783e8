// A TCP server on 127.0.0.1 that answers with whatever bytes a test scripts: lying
// Content-Lengths, answers that never end or trickle, broken chunking, non-HTTP replies.
// cpp-httplib would not send such things, hence raw sockets.
//
//   RawServer server([](RawServer::Connection& c) {
//     c.read_request();
//     c.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
//   });  // the connection is closed when the script returns
//
// The script runs on the server's thread, one connection at a time. `alive()` turns false
// when the server is being destroyed, so endless scripts end with the test.
#pragma once

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

namespace instantly::testing {

class RawServer {
 public:
  class Connection {
   public:
    Connection(int fd, const std::atomic<bool>& stopping) : fd_(fd), stopping_(stopping) {}
    /// Reads until the end of the request head (and drops it). False when the peer left.
    bool read_request() {
      std::string head;
      char buffer[4096];
      while (head.find("\r\n\r\n") == std::string::npos) {
        if (!wait_readable()) return false;
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n <= 0) return false;
        head.append(buffer, static_cast<std::size_t>(n));
      }
      request_head = head.substr(0, head.find("\r\n\r\n"));
      return true;
    }
    /// False once the peer is gone (or the server stops).
    bool write(std::string_view bytes) {
      while (!bytes.empty()) {
        if (!alive()) return false;
        const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
      }
      return true;
    }
    bool alive() const { return !stopping_.load(); }
    /// Sleeps in small steps so a stopping server is not held up; false when it stops.
    bool pause(std::chrono::milliseconds duration) {
      const auto until = std::chrono::steady_clock::now() + duration;
      while (std::chrono::steady_clock::now() < until) {
        if (!alive()) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      return alive();
    }
    /// Whether the client has hung up (its side of the socket is closed).
    bool peer_closed() {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 0) <= 0) return false;
      char c;
      return ::recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0 || (p.revents & (POLLHUP | POLLERR)) != 0;
    }

    std::string request_head;

   private:
    bool wait_readable() {
      while (alive()) {
        pollfd p{fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, 20);
        if (ready > 0) return true;
        if (ready < 0) return false;
      }
      return false;
    }

    int fd_;
    const std::atomic<bool>& stopping_;
  };

  using Script = std::function<void(Connection&)>;

  explicit RawServer(Script script) : script_(std::move(script)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listener_ < 0) throw std::runtime_error("RawServer: socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ::close(listener_);
      throw std::runtime_error("RawServer: could not listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }

  ~RawServer() {
    stopping_ = true;
    thread_.join();
    ::close(listener_);
  }

  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_.load(); }

 private:
  void serve() {
    while (!stopping_) {
      pollfd p{listener_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      ++connections_;
      Connection connection(fd, stopping_);
      script_(connection);
      ::close(fd);
    }
  }

  Script script_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

}  // namespace instantly::testing
