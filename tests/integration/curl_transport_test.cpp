// The libcurl transport against a real HTTP server on 127.0.0.1.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/transport.hpp"
#include "support/local_server.hpp"

namespace {

using instantly::ApiConnectionError;
using instantly::ApiTimeoutError;
using instantly::HttpRequest;
using instantly::HttpResponse;
using instantly::testing::LocalServer;
using instantly::testing::sent_without_body_framing;
using Stage = ApiConnectionError::Stage;
using namespace std::chrono_literals;

constexpr const char* kSecret = "sk_test_DO_NOT_LEAK_0123456789";

HttpRequest make_request(std::string method, std::string url) {
  HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.connect_timeout = 2s;
  request.timeout = 5s;
  return request;
}

/// Remembers which client ports talked to the server: one port, one connection.
class ConnectionCounter {
 public:
  void record(const httplib::Request& req) {
    std::lock_guard lock(mutex_);
    ports_.insert(req.remote_port);
  }
  std::size_t connections() {
    std::lock_guard lock(mutex_);
    return ports_.size();
  }

 private:
  std::mutex mutex_;
  std::set<int> ports_;
};

void serve_counted_pings(httplib::Server& server, ConnectionCounter& counter) {
  server.Get("/ping", [&counter](const httplib::Request& req, httplib::Response& res) {
    counter.record(req);
    res.set_content("pong", "text/plain");
  });
}

/// Everything the server saw of one request.
struct SeenRequest {
  std::string method;
  std::string body;
  httplib::Headers headers;
  bool had_body_framing = true;
};

httplib::Server::Handler recorder(SeenRequest& seen, std::mutex& mutex) {
  return [&seen, &mutex](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    seen.method = req.method;
    seen.body = req.body;
    seen.headers = req.headers;
    seen.had_body_framing = !sent_without_body_framing(req);
    res.status = 204;
  };
}

std::size_t header_count(const httplib::Headers& headers, const std::string& name) {
  return headers.count(name);  // httplib::Headers compares names case-insensitively
}

std::string header_value(const httplib::Headers& headers, const std::string& name) {
  auto it = headers.find(name);
  return it == headers.end() ? std::string("<absent>") : it->second;
}

}  // namespace

TEST_CASE("sequential requests reuse one keep-alive connection") {
  ConnectionCounter counter;
  LocalServer server([&](httplib::Server& s) { serve_counted_pings(s, counter); });
  auto transport = instantly::testing::make_local_transport();

  for (int i = 0; i < 5; ++i) {
    const HttpResponse response = transport->send(make_request("GET", server.url() + "/ping"));
    REQUIRE(response.status == 200);
    CHECK(response.body == "pong");
  }
  CHECK(counter.connections() == 1);
}

TEST_CASE("requests from several threads share a few reused connections") {
  ConnectionCounter counter;
  LocalServer server([&](httplib::Server& s) { serve_counted_pings(s, counter); });
  auto transport = instantly::testing::make_local_transport();

  constexpr int kThreads = 4;
  constexpr int kCallsPerThread = 10;
  std::atomic<int> successes{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        try {
          if (transport->send(make_request("GET", server.url() + "/ping")).status == 200) ++successes;
        } catch (...) {
          // counted as a failure below; doctest assertions are not thread-safe here
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  CHECK(successes.load() == kThreads * kCallsPerThread);
  // At most one handle per concurrent caller exists, each keeping one connection.
  CHECK(counter.connections() <= static_cast<std::size_t>(kThreads));
  CHECK(counter.connections() < static_cast<std::size_t>(kThreads * kCallsPerThread));
}

TEST_CASE("max_idle_connections = 0 keeps no connection between calls") {
  ConnectionCounter counter;
  LocalServer server([&](httplib::Server& s) { serve_counted_pings(s, counter); });
  auto transport = instantly::testing::make_local_transport({.max_idle_connections = 0});

  for (int i = 0; i < 3; ++i) {
    REQUIRE(transport->send(make_request("GET", server.url() + "/ping")).status == 200);
  }
  CHECK(counter.connections() == 3);
}

TEST_CASE("method, headers and body go out verbatim, status, headers and body come back") {
  std::mutex mutex;
  SeenRequest seen;
  LocalServer server([&](httplib::Server& s) {
    s.Patch("/things/42", [&](const httplib::Request& req, httplib::Response& res) {
      recorder(seen, mutex)(req, res);
      res.status = 201;
      res.set_header("X-Reply", "yes");
      res.set_header("X-Multi", "first");
      res.set_header("X-Multi", "second");
      res.set_content("created", "text/plain");
    });
  });
  auto transport = instantly::testing::make_local_transport();

  HttpRequest request = make_request("PATCH", server.url() + "/things/42?x=1");
  request.headers.add("Content-Type", "application/json");
  request.headers.add("X-Custom", "Value  With Spaces");
  request.headers.add("X-Repeat", "one");
  request.headers.add("X-Repeat", "two");
  request.body = R"({"name":"a","n":1})";

  const HttpResponse response = transport->send(request);

  std::lock_guard lock(mutex);
  CHECK(seen.method == "PATCH");
  CHECK(seen.body == R"({"name":"a","n":1})");
  CHECK(header_value(seen.headers, "Content-Type") == "application/json");
  CHECK(header_count(seen.headers, "Content-Type") == 1);
  CHECK(header_value(seen.headers, "X-Custom") == "Value  With Spaces");
  CHECK(header_count(seen.headers, "X-Repeat") == 2);
  CHECK(header_count(seen.headers, "Expect") == 0);

  CHECK(response.status == 201);
  CHECK(response.body == "created");
  CHECK(response.headers.get("x-reply") == "yes");
  CHECK(response.headers.get("X-REPLY") == "yes");
  CHECK(response.headers.get("content-type") == "text/plain");
  std::vector<std::string> multi;
  for (const auto& [name, value] : response.headers) {
    if (name == "X-Multi") multi.push_back(value);
  }
  CHECK(multi == std::vector<std::string>{"first", "second"});
}

TEST_CASE("4xx and 5xx statuses are responses, not exceptions") {
  LocalServer server([](httplib::Server& s) {
    s.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content(R"({"error":"Not Found"})", "application/json");
    });
    s.Get("/unavailable", [](const httplib::Request&, httplib::Response& res) {
      res.status = 503;
      res.set_header("Retry-After", "7");
      res.set_content("down", "text/plain");
    });
  });
  auto transport = instantly::testing::make_local_transport();

  HttpResponse missing;
  REQUIRE_NOTHROW(missing = transport->send(make_request("GET", server.url() + "/missing")));
  CHECK(missing.status == 404);
  CHECK(missing.body == R"({"error":"Not Found"})");

  HttpResponse unavailable;
  REQUIRE_NOTHROW(unavailable = transport->send(make_request("GET", server.url() + "/unavailable")));
  CHECK(unavailable.status == 503);
  CHECK(unavailable.headers.get("retry-after") == "7");
  CHECK(unavailable.body == "down");
}

TEST_CASE("bodiless DELETE and POST carry no body and no Content-Type") {
  std::mutex mutex;
  SeenRequest deleted;
  SeenRequest posted;
  LocalServer server([&](httplib::Server& s) {
    s.Delete("/things/1", recorder(deleted, mutex));
    s.Post("/things/1/activate", recorder(posted, mutex));
  });
  auto transport = instantly::testing::make_local_transport();

  const auto started = std::chrono::steady_clock::now();
  CHECK(transport->send(make_request("DELETE", server.url() + "/things/1")).status == 204);
  CHECK(transport->send(make_request("POST", server.url() + "/things/1/activate")).status == 204);
  // A stray "body follows" header would leave the server waiting for bytes.
  CHECK(std::chrono::steady_clock::now() - started < 2s);

  std::lock_guard lock(mutex);
  for (const SeenRequest* seen : {&deleted, &posted}) {
    CAPTURE(seen->method);
    CHECK(header_count(seen->headers, "Content-Type") == 0);
    CHECK_FALSE(seen->had_body_framing);  // neither Content-Length nor Transfer-Encoding
    CHECK(seen->body.empty());
  }
  CHECK(deleted.method == "DELETE");
  CHECK(posted.method == "POST");
}

TEST_CASE("a body is sent with exactly the caller's Content-Type, or none") {
  std::mutex mutex;
  SeenRequest typed;
  SeenRequest untyped;
  LocalServer server([&](httplib::Server& s) {
    s.Post("/typed", recorder(typed, mutex));
    s.Put("/untyped", recorder(untyped, mutex));
  });
  auto transport = instantly::testing::make_local_transport();

  HttpRequest with_type = make_request("POST", server.url() + "/typed");
  with_type.headers.add("Content-Type", "application/json");
  with_type.body = R"({"a":1})";
  transport->send(with_type);

  HttpRequest without_type = make_request("PUT", server.url() + "/untyped");
  without_type.body = "raw bytes";
  transport->send(without_type);

  std::lock_guard lock(mutex);
  CHECK(typed.method == "POST");
  CHECK(typed.body == R"({"a":1})");
  CHECK(header_count(typed.headers, "Content-Type") == 1);
  CHECK(header_value(typed.headers, "Content-Type") == "application/json");
  CHECK(header_value(typed.headers, "Content-Length") == "7");

  CHECK(untyped.method == "PUT");
  CHECK(untyped.body == "raw bytes");
  CHECK(header_count(untyped.headers, "Content-Type") == 0);
}

TEST_CASE("HEAD returns status and headers without waiting for a body") {
  LocalServer server([](httplib::Server& s) {
    s.Get("/doc", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("X-Doc", "present");
      // Not a compressible type, so the length is the plain one.
      res.set_content("0123456789", "application/octet-stream");
    });
  });
  auto transport = instantly::testing::make_local_transport();

  HttpRequest request = make_request("HEAD", server.url() + "/doc");
  request.timeout = 2s;
  const HttpResponse response = transport->send(request);
  CHECK(response.status == 200);
  CHECK(response.body.empty());
  CHECK(response.headers.get("X-Doc") == "present");
  CHECK(response.headers.get("Content-Length") == "10");
  // The connection is still usable: nothing is left unread on it.
  CHECK(transport->send(make_request("GET", server.url() + "/doc")).body == "0123456789");
}

TEST_CASE("compressed responses arrive decoded") {
  const std::string document = "[" + [] {
    std::string items;
    for (int i = 0; i < 2000; ++i) items += (i ? "," : "") + std::string(R"({"id":)") + std::to_string(i) + "}";
    return items;
  }() + "]";
  LocalServer server([&](httplib::Server& s) {
    s.Get("/big", [&](const httplib::Request&, httplib::Response& res) {
      res.set_content(document, "application/json");
    });
  });
  auto transport = instantly::testing::make_local_transport();

  const HttpResponse response = transport->send(make_request("GET", server.url() + "/big"));
  CHECK(response.status == 200);
  CHECK(response.headers.contains("Content-Encoding"));  // the server did compress
  CHECK(response.body == document);
}

TEST_CASE("a request that outlives its timeout throws ApiTimeoutError promptly") {
  LocalServer server([](httplib::Server& s) {
    s.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(1500ms);
      res.set_content("late", "text/plain");
    });
  });
  auto transport = instantly::testing::make_local_transport();

  HttpRequest request = make_request("GET", server.url() + "/slow");
  request.headers.add("Authorization", std::string("Bearer ") + kSecret);
  request.timeout = 200ms;

  const auto started = std::chrono::steady_clock::now();
  try {
    transport->send(request);
    FAIL("expected ApiTimeoutError");
  } catch (const ApiTimeoutError& error) {
    CHECK(error.stage() == Stage::Timeout);
    CHECK_FALSE(error.request_never_sent());
    CHECK(std::string(error.what()).find(kSecret) == std::string::npos);
    CHECK(error.detail().find("127.0.0.1") != std::string::npos);
  }
  CHECK(std::chrono::steady_clock::now() - started < 900ms);
}

TEST_CASE("a refused connection throws ApiConnectionError that proves nothing was sent") {
  auto transport = instantly::testing::make_local_transport();
  const int port = instantly::testing::unused_local_port();

  HttpRequest request = make_request("POST", "http://127.0.0.1:" + std::to_string(port) + "/v2/leads");
  request.headers.add("Authorization", std::string("Bearer ") + kSecret);
  request.headers.add("Content-Type", "application/json");
  request.body = R"({"email":"a@example.com"})";

  try {
    transport->send(request);
    FAIL("expected ApiConnectionError");
  } catch (const ApiTimeoutError&) {
    FAIL("a refused connection is not a timeout");
  } catch (const ApiConnectionError& error) {
    CHECK(error.stage() == Stage::Connect);
    CHECK(error.request_never_sent());
    CHECK(error.detail().find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
    CHECK(std::string(error.what()).find(kSecret) == std::string::npos);
    CHECK(error.detail().find(kSecret) == std::string::npos);
  }
}

TEST_CASE("a header value with a line break is refused without echoing the value") {
  auto transport = instantly::testing::make_local_transport();
  HttpRequest request = make_request("GET", "http://127.0.0.1:1/never-contacted");
  request.headers.add("Authorization", std::string("Bearer ") + kSecret + "\r\nX-Injected: 1");

  try {
    transport->send(request);
    FAIL("expected ValidationError");
  } catch (const instantly::ValidationError& error) {
    CHECK(std::string(error.what()).find(kSecret) == std::string::npos);
    CHECK(std::string(error.what()).find("Authorization") != std::string::npos);
  }
}

TEST_CASE("one transport serves many servers and survives their failures") {
  const int dead_port = instantly::testing::unused_local_port();
  LocalServer server([](httplib::Server& s) {
    s.Get("/ok", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
  });
  auto transport = instantly::testing::make_local_transport();

  CHECK_THROWS_AS(transport->send(make_request("GET", "http://127.0.0.1:" + std::to_string(dead_port) + "/")),
                  ApiConnectionError);
  CHECK(transport->send(make_request("GET", server.url() + "/ok")).body == "ok");
}
