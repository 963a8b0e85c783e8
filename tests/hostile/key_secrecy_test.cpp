// Servers and proxies that echo the request back: the API key in an error's `error`,
// `message` (string or list), body, a transport's failure text; and
// answers that try to stall the client through Retry-After. The key is in no message, the
// rest of what the server said is kept, and no call hangs.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "instantly/instantly.hpp"
#include "support/fake_transport.hpp"
#include "support/text.hpp"

namespace hostile_secrecy {

using instantly::HttpResponse;
using instantly::Json;
using instantly::testing::contains;
using instantly::testing::FakeTransport;
using instantly::testing::json_response;
using namespace std::chrono_literals;

constexpr const char* kKey = "sk_hostile_SECRET_7f3a";

instantly::Client client_with(std::shared_ptr<instantly::Transport> transport, int max_retries = 0) {
  instantly::ClientOptions options{.api_key = kKey, .base_url = "http://127.0.0.1:9"};
  options.rate_limit.enabled = false;
  options.retry.max_retries = max_retries;
  options.retry.initial_backoff = 1ms;
  options.retry.max_backoff = 2ms;
  options.transport = std::move(transport);
  return instantly::Client(options);
}

// A transport whose failures quote what it sent, key included, as a careless one might.
class EchoingFailure final : public instantly::Transport {
 public:
  explicit EchoingFailure(bool timeout) : timeout_(timeout) {}
  HttpResponse send(const instantly::HttpRequest& request) override {
    const std::string detail = "peer reset after " + request.headers.get("Authorization").value_or("");
    if (timeout_) throw instantly::ApiTimeoutError(detail);
    throw instantly::ApiConnectionError(instantly::ApiConnectionError::Stage::Transfer, detail);
  }

 private:
  bool timeout_;
};


TEST_CASE("an error body echoing the key in error, message and body has it redacted everywhere, the rest kept") {
  const std::string body = std::string(R"({"error":"bad key )") + kKey + R"(","message":"key )" + kKey +
                           R"( rejected","statusCode":401})";
  auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{json_response(401, body)});
  try {
    client_with(transport).request("GET", "/api/v2/campaigns");
    FAIL("a 401 was taken for an answer");
  } catch (const instantly::AuthenticationError& e) {
    for (const std::string& text : {std::string(e.what()), e.error(), e.message(), e.body()}) {
      CHECK_FALSE(contains(text, kKey));
    }
    CHECK(e.message() == "key [redacted] rejected");
    CHECK(e.error() == "bad key [redacted]");
    CHECK(contains(e.body(), R"("statusCode":401)"));
  }
}

TEST_CASE("a validation message list echoing the key, thousands of times, is redacted in linear time") {
  Json messages = Json::array();
  for (int i = 0; i < 5000; ++i) messages.push_back(std::string("field ") + kKey);
  const std::string body = Json::object({{"message", messages}}).dump();
  auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{json_response(400, body)});
  const auto start = std::chrono::steady_clock::now();
  try {
    client_with(transport).request("POST", "/api/v2/leads/add", {.body = Json::object({{"x", 1}})});
    FAIL("a 400 was taken for an answer");
  } catch (const instantly::BadRequestError& e) {
    CHECK_FALSE(contains(e.what(), kKey));
    CHECK_FALSE(contains(e.body(), kKey));
    CHECK(contains(e.message(), "field [redacted]; field [redacted]"));
  }
  CHECK(std::chrono::steady_clock::now() - start < 20s);
}

TEST_CASE("a 200 that carries only an error envelope echoing the key is an ApiError, redacted") {
  auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
      json_response(200, std::string(R"({"error":"ACC_AUTH_ERROR","message":"token )") + kKey + R"("})")});
  try {
    (void)client_with(transport).request("GET", "/api/v2/accounts");
    FAIL("an error envelope was taken for an answer");
  } catch (const instantly::ApiError& e) {
    CHECK(e.status() == 200);
    CHECK(e.error() == "ACC_AUTH_ERROR");
    CHECK_FALSE(contains(e.what(), kKey));
    CHECK_FALSE(contains(e.body(), kKey));
  }
}

TEST_CASE("cursors that cycle A, B, A are caught, not followed forever") {
  int calls = 0;
  auto transport = std::make_shared<FakeTransport>([&calls](const instantly::HttpRequest&) {
    const char* next = (calls++ % 2 == 0) ? "B" : "A";
    return json_response(200, std::string(R"({"items":[{"id":"c1"}],"next_starting_after":")") + next + "\"}");
  });
  const auto client = client_with(transport);
  CHECK_THROWS_AS(
      [&] {
        for (const Json& item : client.paginate("GET", "/api/v2/campaigns", {.query = {{"starting_after", "A"}}}))
          (void)item;
      }(),
      instantly::PaginationError);
  CHECK(calls <= 3);
}

TEST_CASE("a server that echoes the key as its repeated cursor does not get it into the PaginationError") {
  auto transport = std::make_shared<FakeTransport>([](const instantly::HttpRequest&) {
    return json_response(200, std::string(R"({"items":[{"id":"c1"}],"next_starting_after":")") + kKey + "\"}");
  });
  const auto client = client_with(transport);
  try {
    for (const instantly::Campaign& campaign : client.campaigns().list()) (void)campaign;
    FAIL("a repeated cursor was followed");
  } catch (const instantly::PaginationError& e) {
    CHECK(contains(e.what(), "repeated"));
    CHECK_FALSE(contains(e.what(), kKey));
  }
}

TEST_CASE("a transport failure quoting the Authorization header reaches the caller redacted") {
  for (const bool timeout : {false, true}) {
    const auto client = client_with(std::make_shared<EchoingFailure>(timeout), /*max_retries=*/1);
    try {
      client.request("GET", "/api/v2/campaigns");
      FAIL("a failing transport produced an answer");
    } catch (const instantly::ApiConnectionError& e) {
      CHECK(timeout == (dynamic_cast<const instantly::ApiTimeoutError*>(&e) != nullptr));
      CHECK_FALSE(contains(e.what(), kKey));
      CHECK_FALSE(contains(e.detail(), kKey));
      CHECK(contains(e.detail(), "[redacted]"));
    }
  }
}

TEST_CASE("Retry-After values built to overflow or stall are read safely and never hang the call") {
  for (const char* value : {"99999999999999999999999", "-5", "86400", "Fri, 31 Dec 9999 23:59:59 GMT",
                            "Sun, 06 Nov94 08:49:37 GMT", "1e9", "NaN", ""}) {
    const std::string shown_value = value;
    CAPTURE(shown_value);
    auto transport = std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{
        json_response(429, R"({"message":"slow down"})", {{"Retry-After", value}})});
    const auto start = std::chrono::steady_clock::now();
    try {
      client_with(transport, /*max_retries=*/1).request("GET", "/api/v2/campaigns");
      FAIL("a 429 was taken for an answer");
    } catch (const instantly::RateLimitError& e) {
      if (e.retry_after()) CHECK(e.retry_after()->count() >= 0);
      CHECK(e.attempts() == 2);
    }
    CHECK(std::chrono::steady_clock::now() - start < 20s);  // 86400 s is over max_retry_after: backoff instead
  }
}

}  // namespace hostile_secrecy
