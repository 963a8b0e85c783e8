// Every status and body shape the API answers with becomes the right exception,
// with a message a person can act on and never the API key.
#include <doctest/doctest.h>

#include <functional>
#include <typeinfo>
#include <string>
#include <vector>

#include "instantly/client.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"

using instantly::HttpResponse;
using instantly::testing::FakeClock;
using instantly::testing::FakeTransport;
using instantly::testing::json_response;
using instantly::testing::text_response;

namespace {

constexpr const char* kApiKey = "sk_live_Zm9vYmFyYmF6cXV4";

instantly::Client client_answering(HttpResponse response) {
  return instantly::Client({.api_key = kApiKey,
                            .base_url = "http://127.0.0.1:1",
                            .retry = {.max_retries = 0},
                            .rate_limit = {.enabled = false},
                            .transport = std::make_shared<FakeTransport>(
                                std::vector<FakeTransport::Step>{std::move(response)}),
                            .clock = std::make_shared<FakeClock>()});
}

// Calls, checks that exactly `Expected` (not a subclass) was thrown, and returns a copy.
template <class Expected>
Expected expect_error(HttpResponse response, const std::string& method = "GET") {
  try {
    client_answering(std::move(response)).request(method, "/api/v2/campaigns/abc?limit=5");
  } catch (const Expected& e) {
    CHECK(typeid(e) == typeid(Expected));
    return e;
  } catch (const std::exception& e) {
    FAIL("wrong exception type: " << e.what());
  }
  FAIL("no exception thrown");
  throw;  // unreachable
}

std::string envelope(int status, const std::string& error, const std::string& message) {
  return R"({"statusCode":)" + std::to_string(status) + R"(,"error":")" + error +
         R"(","message":")" + message + R"("})";
}

}  // namespace

TEST_CASE("each status maps to its exception class with the envelope's fields") {
  auto e400 = expect_error<instantly::BadRequestError>(
      json_response(400, envelope(400, "Bad Request", "body/name must be string")));
  CHECK(e400.status() == 400);
  CHECK(e400.error() == "Bad Request");
  CHECK(e400.message() == "body/name must be string");
  CHECK(e400.method() == "GET");
  CHECK(e400.path() == "/api/v2/campaigns/abc");
  CHECK(e400.attempts() == 1);
  CHECK(std::string(e400.what()) ==
        "400 Bad Request: body/name must be string [GET /api/v2/campaigns/abc, after 1 attempt]");

  CHECK(expect_error<instantly::AuthenticationError>(json_response(401, envelope(401, "Unauthorized", "Invalid API key"))).status() == 401);
  CHECK(expect_error<instantly::PaymentRequiredError>(json_response(402, envelope(402, "Payment Required", "No credits"))).message() == "No credits");
  CHECK(expect_error<instantly::PermissionDeniedError>(json_response(403, envelope(403, "Forbidden", "Missing scope campaigns:read"))).status() == 403);
  CHECK(expect_error<instantly::NotFoundError>(json_response(404, envelope(404, "Not Found", "Campaign not found"))).message() == "Campaign not found");
  CHECK(expect_error<instantly::ConflictError>(json_response(409, envelope(409, "Conflict", "exists"))).status() == 409);
  CHECK(expect_error<instantly::UnprocessableEntityError>(json_response(422, envelope(422, "Unprocessable Entity", "bad"))).status() == 422);
  CHECK(expect_error<instantly::RateLimitError>(json_response(429, envelope(429, "Too Many Requests", "slow"))).status() == 429);
  for (int status : {500, 502, 503, 504}) {
    CAPTURE(status);
    CHECK(expect_error<instantly::InternalServerError>(json_response(status, "{}")).status() == status);
  }
  // Statuses without a class of their own are still ApiErrors.
  auto teapot = expect_error<instantly::ApiError>(json_response(418, "{}"));
  CHECK(teapot.status() == 418);
}

TEST_CASE("a list of validation messages is joined") {
  auto e = expect_error<instantly::BadRequestError>(
      json_response(400, R"({"statusCode":400,"error":"Bad Request","message":["name is required","limit must be <= 100"]})"));
  CHECK(e.message() == "name is required; limit must be <= 100");
}

TEST_CASE("plain-text and HTML edge errors keep a readable message and the raw body") {
  auto text = expect_error<instantly::InternalServerError>(text_response(502, "upstream connect error\n"));
  CHECK(text.error() == "Bad Gateway");
  CHECK(text.message() == "upstream connect error");
  CHECK(text.body() == "upstream connect error\n");

  const std::string html = "<html><head><title>503 Service Temporarily Unavailable</title></head>"
                           "<body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>";
  auto page = expect_error<instantly::InternalServerError>(
      HttpResponse{503, {{"Content-Type", "text/html"}}, html});
  CHECK(page.message() == "503 Service Temporarily Unavailable 503 Service Temporarily Unavailable");
  CHECK(page.body() == html);

  auto empty = expect_error<instantly::NotFoundError>(HttpResponse{404, {}, ""});
  CHECK(empty.message() == "Not Found");

  auto broken_json = expect_error<instantly::BadRequestError>(json_response(400, "{\"statusCode\": 4"));
  CHECK(broken_json.error() == "Bad Request");
  CHECK(broken_json.message() == "{\"statusCode\": 4");
}

TEST_CASE("Cloudflare's 1010 block is explained as a User-Agent problem, not a bad key") {
  auto e = expect_error<instantly::PermissionDeniedError>(text_response(403, "error code: 1010"));
  CHECK(e.status() == 403);
  CHECK(e.message().find("User-Agent") != std::string::npos);
  CHECK(e.message().find("not an API key problem") != std::string::npos);
  CHECK(e.body() == "error code: 1010");
}

TEST_CASE("a 402 without a message says what 402 means here") {
  auto e = expect_error<instantly::PaymentRequiredError>(json_response(402, "{}"));
  CHECK(e.message().find("paid plan") != std::string::npos);
}

TEST_CASE("HTTP 200 bodies that only carry an error are errors") {
  auto e = expect_error<instantly::ApiError>(json_response(200, R"({"error":"ACC_AUTH_ERROR"})"), "POST");
  CHECK(e.status() == 200);
  CHECK(e.error() == "ACC_AUTH_ERROR");
  CHECK(std::string(e.what()).find("ACC_AUTH_ERROR") != std::string::npos);

  auto with_message = expect_error<instantly::ApiError>(
      json_response(200, R"({"error":"ACC_AUTH_ERROR","message":"account needs re-auth"})"));
  CHECK(with_message.message() == "account needs re-auth");
}

TEST_CASE("documented results that contain an error field are not errors") {
  // POST /webhooks/{id}/test reports the target's failure as data.
  auto webhook_test = client_answering(json_response(
      200, R"({"success":false,"status_code":500,"error":"target answered 500","response_time_ms":12})"));
  CHECK(webhook_test.request("POST", "/api/v2/webhooks/w1/test").at("success") == instantly::Json(false));
  // GET /oauth/session/status/{id} carries an OAuth error as data.
  auto oauth = client_answering(json_response(200, R"({"status":"error","error":"access_denied"})"));
  CHECK(oauth.request("GET", "/api/v2/oauth/session/status/s1").at("status").as_string() == "error");
  // An empty error string is not an error either.
  CHECK_NOTHROW(client_answering(json_response(200, R"({"error":""})")).request("GET", "/api/v2/x"));
}

TEST_CASE("the API key never appears in an error, even when the server echoes it") {
  const std::string echoed = std::string(R"({"statusCode":401,"error":"Unauthorized","message":"Invalid key )") +
                             kApiKey + R"("})";
  auto e = expect_error<instantly::AuthenticationError>(json_response(401, echoed));
  CHECK(std::string(e.what()).find(kApiKey) == std::string::npos);
  CHECK(e.message().find(kApiKey) == std::string::npos);
  CHECK(e.body().find(kApiKey) == std::string::npos);
  CHECK(e.message() == "Invalid key [redacted]");

  auto text = expect_error<instantly::InternalServerError>(text_response(500, std::string("Bearer ") + kApiKey));
  CHECK(std::string(text.what()).find(kApiKey) == std::string::npos);
  CHECK(text.body().find(kApiKey) == std::string::npos);
}
