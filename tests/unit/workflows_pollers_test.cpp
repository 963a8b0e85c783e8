// The pollers (instantly/workflows/pollers.hpp) over a scripted transport and a
// fake clock: what they send, how long they wait between polls, and how they
// end (finished, timed out, cancelled, failed call).
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <future>
#include <limits>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/workflows.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"

namespace {

using namespace std::chrono_literals;
using instantly::testing::FakeClock;
using instantly::testing::FakeTransport;
using instantly::testing::json_response;
namespace wf = instantly::workflows;

std::string job_json(std::string_view status) {
  return R"({"id":"job-1","workspace_id":"ws-1","type":"move-leads","progress":0,"status":")" +
         std::string(status) + R"(","created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:00.000Z"})";
}

std::string verification_json(std::string_view status, std::string_view catch_all = "\"pending\"") {
  return R"({"status":"success","email":"jane@example.com","verification_status":")" + std::string(status) +
         R"(","catch_all":)" + std::string(catch_all) + "}";
}

/// Answers each status in turn (the last one repeats).
std::vector<FakeTransport::Step> answers(const std::vector<std::string>& bodies) {
  std::vector<FakeTransport::Step> steps;
  for (const std::string& body : bodies) steps.emplace_back(json_response(200, body));
  return steps;
}

std::vector<FakeTransport::Step> job_statuses(const std::vector<std::string_view>& statuses) {
  std::vector<std::string> bodies;
  for (std::string_view status : statuses) bodies.push_back(job_json(status));
  return answers(bodies);
}

struct Harness {
  std::shared_ptr<FakeTransport> transport;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  instantly::Client client;

  explicit Harness(std::vector<FakeTransport::Step> script, bool real_clock = false)
      : transport(std::make_shared<FakeTransport>(std::move(script))),
        client(instantly::ClientOptions{.api_key = "sk_test_pollers",
                                        .base_url = "http://127.0.0.1:4010",
                                        .rate_limit = {.enabled = false},
                                        .transport = transport,
                                        .clock = real_clock ? nullptr : clock}) {}

  /// The waits between polls, in whole milliseconds.
  std::vector<long long> waits(std::chrono::steady_clock::time_point start) const {
    std::vector<long long> out;
    auto previous = start;
    for (auto deadline : clock->sleeps()) {
      out.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - previous).count());
      previous = deadline;
    }
    return out;
  }
};

}  // namespace

TEST_CASE("wait_for_background_job: polls until success, waits growing by the multiplier up to the cap") {
  Harness h(job_statuses({"pending", "in-progress", "in-progress", "in-progress", "in-progress", "in-progress",
                          "in-progress", "success"}));
  const auto start = h.clock->now();
  const instantly::BackgroundJob job = wf::wait_for_background_job(
      h.client, "job-1", {.initial_interval = 1s, .max_interval = 5s, .multiplier = 2.0});

  CHECK(job.status == instantly::BackgroundJobStatus::Success);
  CHECK(wf::job_succeeded(job));
  CHECK(h.transport->request_count() == 8);
  for (const instantly::HttpRequest& request : h.transport->requests()) {
    CHECK(request.method == "GET");
    CHECK(request.url == "http://127.0.0.1:4010/api/v2/background-jobs/job-1");
  }
  CHECK(h.waits(start) == std::vector<long long>{1000, 2000, 4000, 5000, 5000, 5000, 5000});
}

TEST_CASE("wait_for_background_job: the timeout raises PollTimeoutError with the last status, after a last poll") {
  Harness h(job_statuses({"pending", "in-progress"}));
  const auto start = h.clock->now();
  try {
    wf::wait_for_background_job(h.client, "job-1",
                                {.timeout = 10s, .initial_interval = 1s, .max_interval = 4s, .multiplier = 2.0});
    FAIL("no PollTimeoutError");
  } catch (const instantly::PollTimeoutError& e) {
    CHECK(e.last_status() == "in-progress");
    CHECK(e.polls() == 5);  // at 0, 1, 3, 7 and 10 s (the 4 s wait cut short by the deadline)
    CHECK(std::string(e.what()).find("job-1") != std::string::npos);
    CHECK(std::string(e.what()).find("in-progress") != std::string::npos);
  }
  CHECK(h.waits(start) == std::vector<long long>{1000, 2000, 4000, 3000});
  CHECK(h.clock->now() - start == 10s);
}

TEST_CASE("wait_for_background_job: failed, error and cancelled jobs are returned for the caller to inspect") {
  for (const std::string_view status : {"failed", "error", "cancelled"}) {
    CAPTURE(status);
    Harness h(job_statuses({"in-progress", status}));
    const instantly::BackgroundJob job =
        wf::wait_for_background_job(h.client, "job-1", {.initial_interval = 1s, .max_interval = 1s});
    CHECK(job.status.value() == status);
    CHECK(wf::job_finished(job));
    CHECK_FALSE(wf::job_succeeded(job));
    CHECK(h.transport->request_count() == 2);
  }
  Harness completed(job_statuses({"completed"}));
  CHECK(wf::job_succeeded(wf::wait_for_background_job(completed.client, "job-1")));
}

TEST_CASE("terminal job statuses: the API's final ones, and nothing that may still change") {
  for (const std::string_view status : {"success", "completed", "failed", "error", "cancelled"}) {
    CHECK(wf::is_terminal_job_status(status));
  }
  for (const std::string_view status : {"pending", "in-progress", "paused", "draining", "queued", "", "SUCCESS"}) {
    CHECK_FALSE(wf::is_terminal_job_status(status));
  }
}

TEST_CASE("wait_for_background_job: on_update sees every snapshot, the final one included") {
  Harness h(job_statuses({"pending", "in-progress", "success"}));
  std::vector<std::string> seen;
  const auto remember = [&](const instantly::BackgroundJob& job) { seen.push_back(job.status.value()); };
  wf::wait_for_background_job(h.client, "job-1", {.on_update = remember});
  CHECK(seen == std::vector<std::string>{"pending", "in-progress", "success"});
}

TEST_CASE("wait_for_background_job: a stop while waiting ends it with PollCancelledError, sending nothing more") {
  Harness h(job_statuses({"pending", "in-progress"}));
  std::stop_source stop;
  int updates = 0;
  try {
    wf::wait_for_background_job(h.client, "job-1", {.stop = stop.get_token(), .on_update = [&](const auto&) {
                                                      if (++updates == 2) stop.request_stop();
                                                    }});
    FAIL("no PollCancelledError");
  } catch (const instantly::PollCancelledError& e) {
    CHECK(e.polls() == 2);
    CHECK(e.last_status() == "in-progress");
  }
  CHECK(h.transport->request_count() == 2);
}

TEST_CASE("wait_for_background_job: a stop requested before the start sends nothing") {
  Harness h(job_statuses({"success"}));
  std::stop_source stop;
  stop.request_stop();
  CHECK_THROWS_AS(wf::wait_for_background_job(h.client, "job-1", {.stop = stop.get_token()}),
                  instantly::PollCancelledError);
  CHECK(h.transport->request_count() == 0);
}

TEST_CASE("wait_for_background_job: on the real clock a stop ends a long wait at once") {
  Harness h(job_statuses({"in-progress"}), /*real_clock=*/true);
  std::stop_source stop;
  std::promise<void> first_poll;
  auto waiting = std::async(std::launch::async, [&] {
    return wf::wait_for_background_job(h.client, "job-1",
                                       {.initial_interval = std::chrono::minutes(10),
                                        .max_interval = std::chrono::minutes(10),
                                        .stop = stop.get_token(),
                                        .on_update = [&, told = false](const auto&) mutable {
                                          if (!told) first_poll.set_value();
                                          told = true;
                                        }});
  });
  first_poll.get_future().wait();
  stop.request_stop();
  // Ten seconds is only a bound for a hung test: the wait itself is ten minutes.
  REQUIRE(waiting.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK_THROWS_AS(waiting.get(), instantly::PollCancelledError);
  CHECK(h.transport->request_count() == 1);
}

TEST_CASE("wait_for_background_job: an API error while polling is thrown unchanged") {
  Harness h({json_response(404, R"({"statusCode":404,"error":"Not Found","message":"no such job"})")});
  CHECK_THROWS_AS(wf::wait_for_background_job(h.client, "job-1"), instantly::NotFoundError);
}

TEST_CASE("wait_for_background_job: schedules that cannot work are refused before anything is sent") {
  Harness h(job_statuses({"success"}));
  using Options = wf::BackgroundJobPollOptions;
  const std::vector<Options> bad = {
      {.timeout = 0ms},
      {.timeout = -5s},
      {.initial_interval = 0ms},
      {.initial_interval = 2s, .max_interval = 1s},
      {.multiplier = 0.5},
      {.multiplier = std::numeric_limits<double>::quiet_NaN()},
      {.multiplier = std::numeric_limits<double>::infinity()},
  };
  for (const Options& options : bad) {
    CHECK_THROWS_AS(wf::wait_for_background_job(h.client, "job-1", options), instantly::ValidationError);
  }
  CHECK_THROWS_AS(wf::wait_for_background_job(h.client, ""), instantly::ValidationError);
  CHECK(h.transport->request_count() == 0);
}

TEST_CASE("wait_for_background_job: a huge multiplier or no timeout at all is handled without overflow") {
  Harness h(job_statuses({"pending", "pending", "pending", "success"}));
  const auto start = h.clock->now();
  wf::wait_for_background_job(
      h.client, "job-1", {.timeout = std::nullopt, .initial_interval = 1s, .max_interval = 5s, .multiplier = 1e300});
  CHECK(h.waits(start) == std::vector<long long>{1000, 5000, 5000});

  Harness forever(job_statuses({"pending", "success"}));
  CHECK(wf::job_succeeded(wf::wait_for_background_job(forever.client, "job-1",
                                                      {.timeout = std::chrono::milliseconds::max()})));
}

TEST_CASE("verify_email: one call when the API has the result at once") {
  Harness h(answers({verification_json("verified", "false")}));
  const instantly::EmailVerification v = wf::verify_email(h.client, "jane@example.com");
  CHECK(v.verification_status == instantly::EmailVerificationStatusValue::Verified);
  REQUIRE(h.transport->request_count() == 1);
  const instantly::HttpRequest sent = h.transport->requests().front();
  CHECK(sent.method == "POST");
  CHECK(sent.url == "http://127.0.0.1:4010/api/v2/email-verification");
  CHECK(instantly::Json::parse(*sent.body) == instantly::Json::object({{"email", "jane@example.com"}}));
}

TEST_CASE("verify_email: starts, then checks with GET until the status is no longer pending") {
  Harness h(answers(
      {verification_json("pending"), verification_json("pending"), verification_json("invalid", "false")}));
  const auto start = h.clock->now();
  std::vector<std::string> seen;
  const instantly::EmailVerification v = wf::verify_email(
      h.client, "jane@example.com",
      {.initial_interval = 500ms, .on_update = [&](const instantly::EmailVerification& snapshot) {
         seen.push_back(snapshot.verification_status.value());
       }});
  CHECK(v.verification_status == instantly::EmailVerificationStatusValue::Invalid);
  CHECK(seen == std::vector<std::string>{"pending", "pending", "invalid"});
  const std::vector<instantly::HttpRequest> sent = h.transport->requests();
  REQUIRE(sent.size() == 3);
  CHECK(sent[0].method == "POST");
  for (std::size_t i = 1; i < sent.size(); ++i) {
    CHECK(sent[i].method == "GET");
    CHECK(sent[i].url.find("/api/v2/email-verification/jane") != std::string::npos);
  }
  CHECK(h.waits(start) == std::vector<long long>{500, 1000});
}

TEST_CASE("verify_email: a verification pending past the timeout raises PollTimeoutError") {
  Harness h(answers({verification_json("pending")}));
  try {
    wf::verify_email(h.client, "jane@example.com", {.timeout = 3s, .initial_interval = 1s, .max_interval = 1s});
    FAIL("no PollTimeoutError");
  } catch (const instantly::PollTimeoutError& e) {
    CHECK(e.last_status() == "pending");
    CHECK(e.polls() == 4);
  }
}

TEST_CASE("verify_email: something that is not an address is refused before sending") {
  Harness h(answers({verification_json("verified", "false")}));
  for (const std::string_view email : {"", "jane", "@example.com", "jane@"}) {
    CAPTURE(email);
    CHECK_THROWS_AS(wf::verify_email(h.client, email), instantly::ValidationError);
  }
  CHECK(h.transport->request_count() == 0);
}

TEST_CASE("wait_for_email_verification: only polls (GET from the first call)") {
  Harness h(answers({verification_json("pending"), verification_json("verified", "true")}));
  const instantly::EmailVerification v = wf::wait_for_email_verification(h.client, "jane@example.com");
  CHECK(wf::verification_finished(v));
  for (const instantly::HttpRequest& request : h.transport->requests()) CHECK(request.method == "GET");
  CHECK(h.transport->request_count() == 2);
}
