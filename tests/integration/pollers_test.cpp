// The pollers against instantly-mock: real background jobs (warmup enable)
// and single email verifications, with a fake clock so that no test sleeps.
//
// One mock serves the suite (started on first use); each case starts from
// POST /__mock/reset. Jobs are steered with POST /__mock/jobs/{id}/state,
// verifications by their address (docs/mock.md).
#ifdef INSTANTLY_HAVE_MOCK
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "instantly/workflows.hpp"
#include "mock_server.hpp"
#include "support/fake_clock.hpp"
#include "support/local_server.hpp"
#include "support/suite_mock.hpp"

namespace {

using namespace std::chrono_literals;
using namespace instantly;
using testing::FakeClock;
namespace wf = instantly::workflows;

mock::MockServer& pollers_mock() {
  mock::MockOptions options;
  options.threads = 4;
  return testing::suite_mock<struct PollersSuite>(options);
}

struct Fixture {
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  Client client = [this] {
    ClientOptions options{.api_key = "pollers-suite-key", .base_url = pollers_mock().url()};
    options.transport = testing::make_local_transport();
    options.clock = clock;
    Client made(options);
    made.request("POST", "/__mock/reset");
    return made;
  }();

  std::int64_t calls(const char* operation) const {
    const Json stats = client.request("GET", "/__mock/stats");
    const Json* n = stats.at("operations").find(operation);
    return n ? n->as_int() : 0;
  }

  std::string start_job() const {
    return client.accounts().enable_warmup({.include_all_emails = true}).id;
  }

  void steer(const std::string& job_id, Json body) const {
    client.request("POST", "/__mock/jobs/" + job_id + "/state", {.body = std::move(body)});
  }

  std::vector<long long> waits(Clock::time_point start) const {
    std::vector<long long> out;
    for (auto deadline : clock->sleeps()) {
      out.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - start).count());
      start = deadline;
    }
    return out;
  }
};

}  // namespace

TEST_CASE("pollers/mock: a warmup job reaches success after a few polls") {
  Fixture f;
  const std::string id = f.start_job();
  std::vector<std::string> seen;
  const BackgroundJob job = wf::wait_for_background_job(
      f.client, id, {.on_update = [&](const BackgroundJob& snapshot) { seen.push_back(snapshot.status.value()); }});
  CHECK(job.id == id);
  CHECK(wf::job_succeeded(job));
  CHECK(job.progress == 100);
  CHECK(seen == std::vector<std::string>{"in-progress", "success"});
  CHECK(f.calls("getBackgroundJob") == 2);
  CHECK(f.waits(FakeClock::default_start()) == std::vector<long long>{1000});
}

TEST_CASE("pollers/mock: a job that takes many polls is asked at doubling intervals up to the cap") {
  Fixture f;
  const std::string id = f.start_job();
  f.steer(id, Json::object({{"status", "in-progress"}, {"finish_after_polls", 7}}));
  const auto start = f.clock->now();
  const BackgroundJob job =
      wf::wait_for_background_job(f.client, id, {.initial_interval = 1s, .max_interval = 8s, .multiplier = 2.0});
  CHECK(wf::job_succeeded(job));
  CHECK(f.calls("getBackgroundJob") == 7);
  CHECK(f.waits(start) == std::vector<long long>{1000, 2000, 4000, 8000, 8000, 8000});
}

TEST_CASE("pollers/mock: a job that never finishes times out with its last status") {
  Fixture f;
  const std::string id = f.start_job();
  f.steer(id, Json::object({{"status", "in-progress"}, {"progress", 40}}));
  const auto start = f.clock->now();
  try {
    wf::wait_for_background_job(f.client, id, {.timeout = 60s, .initial_interval = 2s, .max_interval = 16s});
    FAIL("no PollTimeoutError");
  } catch (const PollTimeoutError& e) {
    CHECK(e.last_status() == "in-progress");
    CHECK(e.polls() == f.calls("getBackgroundJob"));
    CHECK(std::string(e.what()).find(id) != std::string::npos);
  }
  CHECK(f.clock->now() - start == 60s);
}

TEST_CASE("pollers/mock: a failed job is returned with its error for the caller to inspect") {
  Fixture f;
  const std::string id = f.start_job();
  f.steer(id, Json::object({{"status", "in-progress"},
                            {"error", "quota exceeded"},
                            {"finish_after_polls", 2},
                            {"outcome", "failed"}}));
  const BackgroundJob job = wf::wait_for_background_job(f.client, id);
  CHECK(job.status == BackgroundJobStatus::Failed);
  CHECK_FALSE(wf::job_succeeded(job));
  REQUIRE(job.data.has_value());
  const Json* error = job.data->extra().find("error");
  REQUIRE(error != nullptr);
  CHECK(error->as_string() == "quota exceeded");
}

TEST_CASE("pollers/mock: the statuses only the API reports (completed, error) end a wait too") {
  Fixture f;
  for (const char* status : {"completed", "error"}) {
    const std::string id = f.start_job();
    f.steer(id, Json::object({{"status", status}}));
    CHECK(wf::wait_for_background_job(f.client, id).status.value() == status);
  }
}

TEST_CASE("pollers/mock: an unknown job id is a NotFoundError") {
  Fixture f;
  CHECK_THROWS_AS(wf::wait_for_background_job(f.client, "019a0000-0000-7000-8000-0000000000ff"), NotFoundError);
}

TEST_CASE("pollers/mock: the job course route refuses what it cannot do") {
  Fixture f;
  const std::string id = f.start_job();
  CHECK_THROWS_AS(f.steer(id, Json::object({{"colour", "red"}})), BadRequestError);
  CHECK_THROWS_AS(f.steer(id, Json::object({{"finish_after_polls", 0}})), BadRequestError);
  CHECK_THROWS_AS(f.steer(id, Json::object({{"outcome", "failed"}})), BadRequestError);
  CHECK_THROWS_AS(f.steer(id, Json::object({{"progress", 140}})), BadRequestError);
  CHECK_THROWS_AS(f.steer("no-such-job", Json::object({{"status", "failed"}})), NotFoundError);
}

TEST_CASE("pollers/mock: verify_email starts a verification and polls it to its result") {
  Fixture f;
  std::vector<std::string> seen;
  const EmailVerification v = wf::verify_email(
      f.client, "jane@example.com",
      {.on_update = [&](const EmailVerification& snapshot) { seen.push_back(snapshot.verification_status.value()); }});
  CHECK(v.verification_status == EmailVerificationStatusValue::Verified);
  CHECK(v.catch_all == std::optional<Json>(Json(false)));
  CHECK(v.email == "jane@example.com");
  // The mock answers pending three times (the create included), then the result.
  CHECK(seen == std::vector<std::string>{"pending", "pending", "pending", "verified"});
  CHECK(f.calls("createEmailVerification") == 1);
  CHECK(f.calls("checkVerificationStatus") == 3);
}

TEST_CASE("pollers/mock: verification results follow the address") {
  Fixture f;
  const auto verify = [&](const char* email) { return wf::verify_email(f.client, email); };
  CHECK(verify("invalid.person@example.com").verification_status == EmailVerificationStatusValue::Invalid);
  CHECK(verify("someone@mailer.invalid").verification_status == EmailVerificationStatusValue::Invalid);
  const EmailVerification catch_all = verify("catchall@example.com");
  CHECK(catch_all.verification_status == EmailVerificationStatusValue::Verified);
  CHECK(catch_all.catch_all == std::optional<Json>(Json(true)));
  CHECK(verify("bob@catch-all.example.org").catch_all == std::optional<Json>(Json(true)));
}

TEST_CASE("pollers/mock: a verification that stays pending times out") {
  Fixture f;
  try {
    wf::verify_email(f.client, "pending.forever@example.com", {.timeout = 20s, .initial_interval = 1s});
    FAIL("no PollTimeoutError");
  } catch (const PollTimeoutError& e) {
    CHECK(e.last_status() == "pending");
    CHECK(e.polls() == 1 + f.calls("checkVerificationStatus"));
  }
}

TEST_CASE("pollers/mock: with no pending phase verify_email makes one call") {
  Fixture f;
  f.client.request("POST", "/__mock/email-verification", {.body = Json::object({{"pending_answers", 0}})});
  CHECK(wf::verify_email(f.client, "quick@example.com").verification_status == EmailVerificationStatusValue::Verified);
  CHECK(f.calls("createEmailVerification") == 1);
  CHECK(f.calls("checkVerificationStatus") == 0);
}

TEST_CASE("pollers/mock: wait_for_email_verification only checks, never starts one itself") {
  Fixture f;
  // In the mock, the first check of an address nobody submitted starts its verification.
  const EmailVerification v = wf::wait_for_email_verification(f.client, "nobody@example.com");
  CHECK(v.verification_status == EmailVerificationStatusValue::Verified);
  CHECK(f.calls("createEmailVerification") == 0);
  CHECK(f.calls("checkVerificationStatus") == 4);
}

#endif  // INSTANTLY_HAVE_MOCK
