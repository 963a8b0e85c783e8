// An in-process HTTP server on 127.0.0.1 for integration tests.
//
//   LocalServer server([](httplib::Server& s) {
//     s.Get("/ping", [](const httplib::Request&, httplib::Response& res) {
//       res.set_content("pong", "text/plain");
//     });
//   });
//   auto url = server.url() + "/ping";
//
// The port is picked by the OS, so tests can run in parallel. The constructor
// returns once the server accepts connections; the destructor stops it and
// waits for its thread (and so for any handler still running).
//
// Declare the server BEFORE any client that talks to it: the client then dies
// first, closing its keep-alive connections, and the server stops at once
// instead of waiting out its keep-alive timeout on idle connections.
//
// Quirk of cpp-httplib 0.11: a POST/PUT/PATCH/DELETE that has neither
// Content-Length nor Transfer-Encoding (a legitimately bodiless request) makes
// the server read "until the connection closes" before routing. The
// constructor therefore installs a pre-routing handler that declares such
// requests empty (see `declare_bodiless_requests_empty`); a test that installs
// its own pre-routing handler replaces it and takes that job over.
#pragma once

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "instantly/transport.hpp"

namespace instantly::testing {

/// Marks a request that carries neither Content-Length nor Transfer-Encoding
/// as having an empty body (RFC 9112 §6.3: such a request has none).
/// `had_no_framing` tells handlers the header was added here, not sent.
inline void declare_bodiless_requests_empty(httplib::Server& server) {
  server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding")) {
      // The Request object itself is not const (httplib owns it as a local),
      // so adding a header here is well-defined.
      auto& mutable_req = const_cast<httplib::Request&>(req);
      mutable_req.set_header("Content-Length", "0");
      mutable_req.set_header("X-Test-No-Framing", "1");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
}

/// True when the client sent no Content-Length and no Transfer-Encoding,
/// i.e. no body at all (see declare_bodiless_requests_empty).
inline bool sent_without_body_framing(const httplib::Request& req) {
  return req.has_header("X-Test-No-Framing");
}

class LocalServer {
 public:
  using Setup = std::function<void(httplib::Server&)>;

  explicit LocalServer(const Setup& setup) {
    // Keep-alive generous enough that connection-reuse tests see reuse, short
    // enough that a lingering idle client cannot stall shutdown for long.
    server_.set_keep_alive_max_count(1000);
    server_.set_keep_alive_timeout(2);
    declare_bodiless_requests_empty(server_);
    setup(server_);

    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("LocalServer: could not bind 127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });

    // stop() before the accept loop runs would be a no-op, so wait for it.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server_.is_running()) {
      if (std::chrono::steady_clock::now() > deadline) {
        shutdown();
        throw std::runtime_error("LocalServer: server did not start");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  ~LocalServer() { shutdown(); }

  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;

  int port() const noexcept { return port_; }
  /// "http://127.0.0.1:<port>", no trailing slash.
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  httplib::Server& server() noexcept { return server_; }

 private:
  void shutdown() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

/// A 127.0.0.1 port that nothing listens on: bound by us, then released.
/// Connecting to it is refused at once, without any traffic leaving the host.
inline int unused_local_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("unused_local_port: socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("unused_local_port: bind() failed");
  return ntohs(address.sin_port);
}

/// A curl transport for talking to LocalServer: proxies from the environment
/// are bypassed, since a CI machine's proxy cannot reach our 127.0.0.1.
inline std::shared_ptr<Transport> make_local_transport(CurlTransportOptions options = {}) {
  options.no_proxy = "*";
  return make_curl_transport(std::move(options));
}

}  // namespace instantly::testing
