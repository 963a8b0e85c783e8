// A MockServer on 127.0.0.1:<any port> and a plain HTTP client for it, for
// black-box tests of instantly-mock: every check goes over real HTTP.
//
//   MockFixture mock;
//   auto created = mock.post("/api/v2/campaigns", campaign_body);
//   CHECK(created.status == 200);
//   CHECK(created.json.at("status").as_int() == 0);
#pragma once

#include <httplib.h>

#include <optional>
#include <string>

#include "instantly/json.hpp"
#include "mock_server.hpp"

namespace instantly::mock::testing {

inline constexpr const char* kTestKey = "mock-test-key";
inline constexpr const char* kTestUserAgent = "instantly-mock-tests/1.0";

struct HttpResult {
  int status = 0;         ///< 0: no response (connection failed)
  std::string text;       ///< the raw body
  Json json;              ///< the body parsed, when it is JSON (else null)
  httplib::Headers headers;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

/// Options for a test server: any port, rate limits off unless a test turns
/// them on, fast webhook retries.
inline MockOptions test_options() {
  MockOptions options;
  options.port = 0;
  options.rate_limit = false;
  options.webhook_retry_delays_ms = {50, 100, 150};
  options.webhook_timeout_ms = 1000;
  options.threads = 8;
  return options;
}

class MockFixture {
 public:
  explicit MockFixture(MockOptions options = test_options())
      : server_(std::move(options)), port_(server_.start()), http_("127.0.0.1", port_) {
    http_.set_keep_alive(true);
    http_.set_tcp_nodelay(true);
    http_.set_read_timeout(10, 0);
  }

  MockServer& server() { return server_; }
  State& state() { return server_.state(); }
  std::string url() const { return server_.url(); }
  int port() const { return port_; }
  httplib::Client& http() { return http_; }

  /// Headers a well-behaved client sends (Bearer key, product User-Agent).
  static httplib::Headers auth_headers(const std::string& key = kTestKey) {
    return {{"Authorization", "Bearer " + key}, {"User-Agent", kTestUserAgent}};
  }

  HttpResult get(const std::string& path, const httplib::Headers& headers = auth_headers()) {
    return wrap(http_.Get(path, headers));
  }
  HttpResult post(const std::string& path, const Json& body, const httplib::Headers& headers = auth_headers()) {
    return wrap(http_.Post(path, headers, body.dump(), "application/json"));
  }
  /// POST with no body and no Content-Type (action endpoints).
  HttpResult post_empty(const std::string& path, const httplib::Headers& headers = auth_headers()) {
    return wrap(http_.Post(path, headers));
  }
  HttpResult patch(const std::string& path, const Json& body, const httplib::Headers& headers = auth_headers()) {
    return wrap(http_.Patch(path, headers, body.dump(), "application/json"));
  }
  HttpResult put(const std::string& path, const Json& body, const httplib::Headers& headers = auth_headers()) {
    return wrap(http_.Put(path, headers, body.dump(), "application/json"));
  }
  /// DELETE; with a body only when one is given.
  HttpResult del(const std::string& path, const std::optional<Json>& body = std::nullopt,
                 const httplib::Headers& headers = auth_headers()) {
    if (body) return wrap(http_.Delete(path, headers, body->dump(), "application/json"));
    return wrap(http_.Delete(path, headers));
  }
  /// The admin API: admin("POST", "/send", body) → POST /__mock/send.
  HttpResult admin(const std::string& method, const std::string& path, const Json& body = Json::object()) {
    std::string full = "/__mock" + path;
    if (method == "GET") return wrap(http_.Get(full));
    return wrap(http_.Post(full, body.dump(), "application/json"));
  }

  static HttpResult wrap(const httplib::Result& result) {
    HttpResult out;
    if (!result) return out;
    out.status = result->status;
    out.text = result->body;
    out.headers = result->headers;
    if (!out.text.empty() && (out.text.front() == '{' || out.text.front() == '[')) {
      try {
        out.json = Json::parse(out.text);
      } catch (...) {
        // not JSON after all: tests look at `text`
      }
    }
    return out;
  }

 private:
  MockServer server_;
  int port_;
  httplib::Client http_;
};

}  // namespace instantly::mock::testing
