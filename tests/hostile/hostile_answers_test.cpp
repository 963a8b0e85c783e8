// Answers from a broken proxy or a hostile server, byte for byte over real sockets on
// 127.0.0.1 (raw_server.hpp): lying lengths, answers that never end or trickle, broken
// chunking, non-HTTP replies. Each ends in a typed error within the call's timeout, with
// the API key in no message, and a POST is never sent twice behind the caller's back.
#include <doctest/doctest.h>

#include <chrono>
#include <cstddef>
#include <string>

#include "instantly/client.hpp"
#include "instantly/error.hpp"
#include "hostile/raw_server.hpp"
#include "support/local_server.hpp"
#include "support/text.hpp"

namespace hostile_answers {

using instantly::ApiConnectionError;
using instantly::ApiTimeoutError;
using instantly::Client;
using instantly::ResponseTooLargeError;
using instantly::testing::contains;
using instantly::testing::RawServer;
using namespace std::chrono_literals;

constexpr const char* kKey = "sk_hostile_SECRET_7f3a";

Client client_for(const RawServer& server, int max_retries = 0) {
  instantly::ClientOptions options{.api_key = kKey, .base_url = server.url()};
  options.timeout = 1500ms;
  options.connect_timeout = 1500ms;
  options.retry.max_retries = max_retries;
  options.retry.initial_backoff = 1ms;
  options.retry.max_backoff = 2ms;
  options.rate_limit.enabled = false;
  options.max_response_bytes = 64 * 1024;
  options.transport = instantly::testing::make_local_transport();
  return Client(options);
}

// Runs the call, expects exception E, checks the key is nowhere in it, returns its message.
template <class E, class Call>
std::string expect_error(Call&& call) {
  try {
    call();
    FAIL("the hostile answer was taken for a good one");
  } catch (const E& e) {
    CHECK_FALSE(contains(e.what(), kKey));
    return e.what();
  }
  return {};
}

using Clock = std::chrono::steady_clock;


TEST_CASE("an answer shorter than its Content-Length is a connection error, not a short body") {
  RawServer server([](RawServer::Connection& c) {
    if (!c.read_request()) return;
    c.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":\"c1\"}");
  });
  const Client client = client_for(server);
  expect_error<ApiConnectionError>([&] { client.request("GET", "/api/v2/campaigns/c1"); });
}

TEST_CASE("an answer longer than its Content-Length is read to the declared length only") {
  // Documented: HTTP framing decides; the extra bytes never become part of this answer.
  RawServer server([](RawServer::Connection& c) {
    if (!c.read_request()) return;
    c.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
            "{\"id\":\"c1\"}{\"id\":\"smuggled\"}");
  });
  const Client client = client_for(server);
  const instantly::Json answer = client.request("GET", "/api/v2/campaigns/c1");
  CHECK(answer.at("id").as_string() == "c1");
}

TEST_CASE("an answer that stops after its headers times out within the call's timeout") {
  RawServer server([](RawServer::Connection& c) {
    if (!c.read_request()) return;
    c.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"id\":");
    while (!c.peer_closed() && c.pause(10ms)) {
    }
  });
  const Client client = client_for(server);
  const auto start = Clock::now();
  expect_error<ApiTimeoutError>([&] { client.request("GET", "/api/v2/campaigns/c1"); });
  CHECK(Clock::now() - start < 20s);  // 1.5 s in fact; generous for a loaded machine
}

TEST_CASE("an answer trickling a byte at a time is cut off by the total timeout, not kept alive by it") {
  RawServer server([](RawServer::Connection& c) {
    if (!c.read_request()) return;
    if (!c.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 50000\r\n\r\n")) return;
    while (c.write(" ") && c.pause(20ms) && !c.peer_closed()) {
    }
  });
  const Client client = client_for(server);
  const auto start = Clock::now();
  expect_error<ApiTimeoutError>([&] { client.request("GET", "/api/v2/campaigns"); });
  CHECK(Clock::now() - start < 20s);
}

// Header bytes count against max_response_bytes too, so a flood of them ends like a flood of body.
TEST_CASE("an answer whose headers never end is refused at max_response_bytes, not buffered without bound") {
  RawServer server([](RawServer::Connection& c) {
    if (!c.read_request()) return;
    if (!c.write("HTTP/1.1 200 OK\r\n")) return;
    const std::string line = "X-Padding: " + std::string(1000, 'p') + "\r\n";
    while (c.write(line) && !c.peer_closed()) {
    }
  });
  const Client client = client_for(server);
  const auto start = Clock::now();
  expect_error<ResponseTooLargeError>([&] { client.request("GET", "/api/v2/campaigns"); });
  CHECK(Clock::now() - start < 20s);
}

TEST_CASE("an endless chunked answer stops at max_response_bytes with ResponseTooLargeError") {
  RawServer server([](RawServer::Connection& c) {
    if (!c.read_request()) return;
    if (!c.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")) return;
    const std::string chunk = "1000\r\n" + std::string(0x1000, ' ') + "\r\n";
    while (c.write(chunk)) {
    }
  });
  const Client client = client_for(server);
  const std::string what = expect_error<ResponseTooLargeError>([&] { client.request("GET", "/api/v2/campaigns"); });
  CHECK(contains(what, "max_response_bytes"));
}

TEST_CASE("a Content-Length of 10^18 is refused before a byte of the body is read") {
  RawServer server([](RawServer::Connection& c) {
    if (!c.read_request()) return;
    c.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000000000000000\r\n\r\n{");
    while (!c.peer_closed() && c.pause(10ms)) {
    }
  });
  const Client client = client_for(server);
  const auto start = Clock::now();
  expect_error<ResponseTooLargeError>([&] { client.request("GET", "/api/v2/campaigns"); });
  CHECK(Clock::now() - start < 20s);
}

TEST_CASE("a Content-Length that is not a number, or negative, is a connection error") {
  for (const char* length : {"-1", "12abc"}) {
    RawServer server([length](RawServer::Connection& c) {
      if (!c.read_request()) return;
      c.write(std::string("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ") + length +
              "\r\n\r\n{\"id\":\"c1\"}");
    });
    const Client client = client_for(server);
    const std::string shown_length = length;
    CAPTURE(shown_length);
    expect_error<ApiConnectionError>([&] { client.request("GET", "/api/v2/campaigns/c1"); });
  }
}

TEST_CASE("a Content-Length past 2^64 reads as too large, not as a small number wrapped around") {
  RawServer server([](RawServer::Connection& c) {
    if (!c.read_request()) return;
    c.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999999999\r\n\r\n"
            "{\"id\":\"c1\"}");
  });
  const Client client = client_for(server);
  expect_error<ResponseTooLargeError>([&] { client.request("GET", "/api/v2/campaigns/c1"); });
}

TEST_CASE("broken chunk framing is a connection error") {
  RawServer server([](RawServer::Connection& c) {
    if (!c.read_request()) return;
    c.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            "zz\r\n{\"id\":\"c1\"}\r\n0\r\n\r\n");
  });
  const Client client = client_for(server);
  expect_error<ApiConnectionError>([&] { client.request("GET", "/api/v2/campaigns/c1"); });
}

TEST_CASE("a reply that is not HTTP at all is a connection error") {
  RawServer server([](RawServer::Connection& c) {
    if (!c.read_request()) return;
    c.write("SSH-2.0-OpenSSH_9.2\r\n\r\n");
  });
  const Client client = client_for(server);
  expect_error<ApiConnectionError>([&] { client.request("GET", "/api/v2/campaigns"); });
}

TEST_CASE("a body labelled gzip that is not gzip is a typed error, not garbage JSON") {
  RawServer server([](RawServer::Connection& c) {
    if (!c.read_request()) return;
    c.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 11\r\n\r\n"
            "{\"id\":\"c1\"}");
  });
  const Client client = client_for(server);
  expect_error<ApiConnectionError>([&] { client.request("GET", "/api/v2/campaigns/c1"); });
}

TEST_CASE("a POST whose connection drops after it was sent is not sent again") {
  RawServer server([](RawServer::Connection& c) { (void)c.read_request(); });  // read, then hang up
  const Client client = client_for(server, /*max_retries=*/3);
  try {
    client.request("POST", "/api/v2/campaigns", {.body = instantly::Json::object({{"name", "x"}})});
    FAIL("a dropped connection was taken for an answer");
  } catch (const ApiConnectionError& e) {
    CHECK_FALSE(e.request_never_sent());
    CHECK(e.attempts() == 1);
    CHECK_FALSE(contains(e.what(), kKey));
  }
  CHECK(server.connections() == 1);
}

TEST_CASE("a status line with a status outside 100..599 is not a success") {
  RawServer server([](RawServer::Connection& c) {
    if (!c.read_request()) return;
    c.write("HTTP/1.1 999 Whatever\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"id\":\"c1\"}");
  });
  const Client client = client_for(server);
  try {
    (void)client.request("GET", "/api/v2/campaigns/c1");
    FAIL("HTTP 999 was taken for a success");
  } catch (const instantly::ApiError& e) {
    CHECK(e.status() == 999);
  } catch (const ApiConnectionError&) {
    // curl may also refuse the status line itself: typed either way.
  }
}

TEST_CASE("an interim 100 Continue followed by a hang-up is a connection error, not an empty success") {
  RawServer server([](RawServer::Connection& c) {
    if (!c.read_request()) return;
    c.write("HTTP/1.1 100 Continue\r\n\r\n");
  });
  const Client client = client_for(server);
  expect_error<ApiConnectionError>([&] { client.request("GET", "/api/v2/campaigns"); });
}

TEST_CASE("a server echoing the Authorization header in its error page never gets the key into the error") {
  RawServer server([](RawServer::Connection& c) {
    if (!c.read_request()) return;
    const std::string body = "<html><body><pre>" + c.request_head + "</pre></body></html>";
    c.write("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n\r\n" + body);
  });
  const Client client = client_for(server);
  try {
    client.request("GET", "/api/v2/campaigns");
    FAIL("a 502 was taken for an answer");
  } catch (const instantly::InternalServerError& e) {
    CHECK(contains(e.body(), "Authorization"));  // it did echo the request head...
    CHECK_FALSE(contains(e.body(), kKey));        // ...but not the key
    CHECK_FALSE(contains(e.message(), kKey));
    CHECK_FALSE(contains(e.what(), kKey));
  }
}

}  // namespace hostile_answers
