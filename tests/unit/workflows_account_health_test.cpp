// Account health classification (classify_account): one case per failure
// kind, the threshold edges, the overall level and the option checks. Pure:
// readings in, verdict out.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/workflows/account_health.hpp"
#include "workflows/account_health_readings.hpp"

using instantly::AccountStatus;
using instantly::AccountWarmupStatus;
using instantly::ValidationError;
using namespace instantly::workflows;

namespace {

/// An account with nothing wrong: active, warming up, score 100, all DNS
/// checks passing, 100 sent without a bounce.
AccountReadings healthy() {
  return {.email = "ann@acme.test",
          .status = AccountStatus::Active,
          .warmup_status = AccountWarmupStatus::Active,
          .warmup_score = 100,
          .warmup = WarmupNumbers{.sent = 70, .received = 70, .landed_inbox = 70, .landed_spam = 0},
          .vitals = DomainVitals{.domain = "acme.test", .mx = true, .spf = true, .dkim = true, .dmarc = true,
                                 .all_pass = true},
          .sent = 100,
          .bounced = 0};
}

/// The one reason of `result`, which must have exactly one.
const HealthReason& only_reason(const AccountHealthResult& result) {
  REQUIRE(result.reasons.size() == 1);
  return result.reasons.front();
}

AccountReadings with_score(double score) {
  AccountReadings r = healthy();
  r.warmup_score = score;
  return r;
}

AccountReadings with_bounces(std::int64_t bounced, std::int64_t sent) {
  AccountReadings r = healthy();
  r.sent = sent;
  r.bounced = bounced;
  return r;
}

}  // namespace

TEST_SUITE("account health classification") {
  TEST_CASE("account health: a healthy account is ok with no reasons and its numbers kept") {
    const AccountHealthResult result = classify_account(healthy());
    CHECK(result.level == HealthLevel::Ok);
    CHECK(result.ok());
    CHECK(result.reasons.empty());
    CHECK(result.email == "ann@acme.test");
    CHECK(result.warmup_score == 100);
    REQUIRE(result.bounce_rate.has_value());
    CHECK(*result.bounce_rate == 0.0);
    CHECK(result.sent == 100);
  }

  TEST_CASE("account health: error statuses are critical and carry the server's words") {
    struct Case {
      AccountStatus status;
      HealthReasonCode code;
    };
    for (const Case& c : {Case{AccountStatus::ConnectionError, HealthReasonCode::ConnectionError},
                          Case{AccountStatus::SoftBounceError, HealthReasonCode::SoftBounceError},
                          Case{AccountStatus::SendingError, HealthReasonCode::SendingError},
                          Case{static_cast<AccountStatus>(-7), HealthReasonCode::AccountError}}) {
      CAPTURE(static_cast<int>(c.status));
      AccountReadings r = healthy();
      r.status = c.status;
      r.status_detail = "Invalid login: 535 5.7.8";
      const AccountHealthResult result = classify_account(r);
      CHECK(result.level == HealthLevel::Critical);
      const HealthReason& reason = only_reason(result);
      CHECK(reason.code == c.code);
      CHECK(reason.level == HealthLevel::Critical);
      CHECK(reason.message.find("Invalid login: 535 5.7.8") != std::string::npos);
      CHECK(reason.message.find(std::to_string(static_cast<int>(c.status))) != std::string::npos);
    }
  }

  TEST_CASE("account health: a paused account is a warning, maintenance is not a finding") {
    AccountReadings paused = healthy();
    paused.status = AccountStatus::Paused;
    const AccountHealthResult result = classify_account(paused);
    CHECK(result.level == HealthLevel::Warning);
    CHECK(only_reason(result).code == HealthReasonCode::AccountPaused);

    AccountReadings maintenance = healthy();
    maintenance.status = AccountStatus::TemporarilyPausedForMaintenanceWillBeAutomaticallyResumedShortly;
    CHECK(classify_account(maintenance).ok());
  }

  TEST_CASE("account health: warmup paused is a warning that the thresholds can turn off") {
    AccountReadings r = healthy();
    r.warmup_status = AccountWarmupStatus::Paused;
    const AccountHealthResult result = classify_account(r);
    CHECK(result.level == HealthLevel::Warning);
    CHECK(only_reason(result).code == HealthReasonCode::WarmupPaused);

    CHECK(classify_account(r, {.warmup_paused = HealthLevel::Ok}).ok());
    CHECK(classify_account(r, {.warmup_paused = HealthLevel::Critical}).level == HealthLevel::Critical);
  }

  TEST_CASE("account health: warmup banned, suspended and unknown negative states are critical") {
    struct Case {
      AccountWarmupStatus status;
      HealthReasonCode code;
      HealthLevel level;
    };
    for (const Case& c :
         {Case{AccountWarmupStatus::Banned, HealthReasonCode::WarmupBanned, HealthLevel::Critical},
          Case{AccountWarmupStatus::PermanentSuspension, HealthReasonCode::WarmupSuspended, HealthLevel::Critical},
          Case{AccountWarmupStatus::SpamFolderUnknown, HealthReasonCode::WarmupSpamFolderUnknown,
               HealthLevel::Warning},
          Case{static_cast<AccountWarmupStatus>(-9), HealthReasonCode::WarmupError, HealthLevel::Critical}}) {
      CAPTURE(static_cast<int>(c.status));
      AccountReadings r = healthy();
      r.warmup_status = c.status;
      const AccountHealthResult result = classify_account(r);
      CHECK(result.level == c.level);
      CHECK(only_reason(result).code == c.code);
    }
  }

  TEST_CASE("account health: the warmup score edges (below warning, below critical, equal is not below)") {
    CHECK(classify_account(with_score(80)).ok());
    const AccountHealthResult just_below = classify_account(with_score(79.9));
    CHECK(just_below.level == HealthLevel::Warning);
    CHECK(only_reason(just_below).code == HealthReasonCode::LowWarmupScore);
    CHECK(only_reason(just_below).message == "warmup score 79.9 is below 80");

    CHECK(classify_account(with_score(60)).level == HealthLevel::Warning);
    const AccountHealthResult critical = classify_account(with_score(45));
    CHECK(critical.level == HealthLevel::Critical);
    CHECK(only_reason(critical).message == "warmup score 45 is below 60");

    AccountReadings no_score = healthy();
    no_score.warmup_score.reset();
    CHECK(classify_account(no_score).ok());

    const HealthThresholds strict{.warmup_score_warning = 95, .warmup_score_critical = 90};
    CHECK(classify_account(with_score(92), strict).level == HealthLevel::Warning);
    CHECK(classify_account(with_score(89), strict).level == HealthLevel::Critical);
  }

  TEST_CASE("account health: each failing DNS check has its reason, MX, SPF and DKIM critical, DMARC a warning") {
    struct Case {
      std::optional<bool> DomainVitals::*check;
      HealthReasonCode code;
      HealthLevel level;
      const char* name;
    };
    for (const Case& c : {Case{&DomainVitals::mx, HealthReasonCode::MxFailing, HealthLevel::Critical, "MX"},
                          Case{&DomainVitals::spf, HealthReasonCode::SpfFailing, HealthLevel::Critical, "SPF"},
                          Case{&DomainVitals::dkim, HealthReasonCode::DkimFailing, HealthLevel::Critical, "DKIM"},
                          Case{&DomainVitals::dmarc, HealthReasonCode::DmarcFailing, HealthLevel::Warning,
                               "DMARC"}}) {
      CAPTURE(c.name);
      AccountReadings r = healthy();
      (*r.vitals).*c.check = false;
      r.vitals->all_pass = false;
      const AccountHealthResult result = classify_account(r);
      CHECK(result.level == c.level);
      const HealthReason& reason = only_reason(result);
      CHECK(reason.code == c.code);
      CHECK(reason.message.find(c.name) != std::string::npos);
      CHECK(reason.message.find("acme.test") != std::string::npos);
    }

    // A check the answer did not report is not a failure.
    AccountReadings partial = healthy();
    partial.vitals->spf.reset();
    CHECK(classify_account(partial).ok());

    // The levels are configurable; Ok turns a check off.
    AccountReadings dmarc = healthy();
    dmarc.vitals->dmarc = false;
    CHECK(classify_account(dmarc, {.dmarc_failing = HealthLevel::Critical}).level == HealthLevel::Critical);
    CHECK(classify_account(dmarc, {.dmarc_failing = HealthLevel::Ok}).ok());
  }

  TEST_CASE("account health: a domain the vitals answer left out is vitals_unknown") {
    AccountReadings r = healthy();
    r.vitals.reset();
    const AccountHealthResult result = classify_account(r);
    CHECK(result.level == HealthLevel::Warning);
    CHECK(only_reason(result).code == HealthReasonCode::VitalsUnknown);
    CHECK(only_reason(result).message.find("acme.test") != std::string::npos);
    CHECK(classify_account(r, {.vitals_unknown = HealthLevel::Ok}).ok());
  }

  TEST_CASE("account health: bounce rate edges and the minimum-sent guard") {
    // Over the window: above 3 % warns, above 5 % is critical; equal is not above.
    CHECK(classify_account(with_bounces(3, 100)).ok());
    const AccountHealthResult warning = classify_account(with_bounces(4, 100));
    CHECK(warning.level == HealthLevel::Warning);
    CHECK(only_reason(warning).code == HealthReasonCode::HighBounceRate);
    CHECK(only_reason(warning).message == "bounce rate 4.0 % (4 of 100 sent) is above 3.0 %");
    CHECK(classify_account(with_bounces(5, 100)).level == HealthLevel::Warning);
    const AccountHealthResult critical = classify_account(with_bounces(6, 100));
    CHECK(critical.level == HealthLevel::Critical);
    REQUIRE(critical.bounce_rate.has_value());
    CHECK(*critical.bounce_rate == doctest::Approx(0.06));

    // 1 bounce out of 2 is shown but not judged; from 20 sent it is.
    const AccountHealthResult few = classify_account(with_bounces(1, 2));
    CHECK(few.ok());
    CHECK(*few.bounce_rate == doctest::Approx(0.5));
    CHECK(classify_account(with_bounces(10, 19)).ok());
    CHECK(classify_account(with_bounces(10, 20)).level == HealthLevel::Critical);
    CHECK(classify_account(with_bounces(1, 2), {.min_sent_for_bounce_rate = 1}).level == HealthLevel::Critical);

    // Nothing sent: no rate at all.
    const AccountHealthResult idle = classify_account(with_bounces(0, 0));
    CHECK(idle.ok());
    CHECK_FALSE(idle.bounce_rate.has_value());
  }

  TEST_CASE("account health: an email that is not an account is critical and nothing else is judged") {
    AccountReadings r{.email = "ghost@acme.test", .found = false};
    const AccountHealthResult result = classify_account(r);
    CHECK(result.level == HealthLevel::Critical);
    CHECK(only_reason(result).code == HealthReasonCode::AccountNotFound);  // no vitals_unknown on top
  }

  TEST_CASE("account health: the level is the worst reason, and reasons come worst first") {
    AccountReadings r = healthy();
    r.status = AccountStatus::Paused;          // warning
    r.vitals->dmarc = false;                   // warning
    r.warmup_score = 50;                       // critical
    r.bounced = 4;                             // 4 % of 100: warning
    const AccountHealthResult result = classify_account(r);
    CHECK(result.level == HealthLevel::Critical);
    REQUIRE(result.reasons.size() == 4);
    CHECK(result.reasons[0].code == HealthReasonCode::LowWarmupScore);
    CHECK(result.reasons[0].level == HealthLevel::Critical);
    CHECK(result.reasons[1].code == HealthReasonCode::AccountPaused);  // then the warnings, in check order
    CHECK(result.reasons[2].code == HealthReasonCode::DmarcFailing);
    CHECK(result.reasons[3].code == HealthReasonCode::HighBounceRate);
    CHECK(result.has(HealthReasonCode::DmarcFailing));
    CHECK_FALSE(result.has(HealthReasonCode::SpfFailing));

    CHECK(worst_level({}) == HealthLevel::Ok);
    CHECK(worst_level({classify_account(healthy()), result, classify_account(with_score(70))}) ==
          HealthLevel::Critical);
  }

  TEST_CASE("account health: names of levels and reason codes round-trip") {
    for (std::size_t i = 0; i < kHealthReasonCodeCount; ++i) {
      const auto code = static_cast<HealthReasonCode>(i);
      CAPTURE(i);
      CHECK_FALSE(to_string(code).empty());
      CHECK(health_reason_code_from_string(to_string(code)) == code);
    }
    CHECK(to_string(HealthReasonCode::LowWarmupScore) == "low_warmup_score");
    CHECK(to_string(HealthLevel::Critical) == "critical");
    CHECK(health_level_from_string("warning") == HealthLevel::Warning);
    CHECK_FALSE(health_level_from_string("bad").has_value());
    CHECK_FALSE(health_reason_code_from_string("nope").has_value());
  }

  TEST_CASE("account health: thresholds and options out of range are ValidationErrors") {
    CHECK_NOTHROW(validate(HealthThresholds{}));
    CHECK_THROWS_AS(validate({.warmup_score_warning = 50, .warmup_score_critical = 60}), ValidationError);
    CHECK_THROWS_AS(validate({.warmup_score_warning = 120}), ValidationError);
    CHECK_THROWS_AS(validate({.bounce_rate_warning = 0.06}), ValidationError);  // above the 5 % critical
    CHECK_THROWS_AS(validate({.bounce_rate_critical = 5}), ValidationError);    // a percentage, not a fraction
    CHECK_THROWS_AS(validate({.min_sent_for_bounce_rate = 0}), ValidationError);
    CHECK_THROWS_AS(validate({.spf_failing = static_cast<HealthLevel>(9)}), ValidationError);
    CHECK_THROWS_AS(classify_account(healthy(), {.bounce_rate_warning = -1}), ValidationError);

    instantly::Client client({.api_key = "unit-key", .base_url = "http://127.0.0.1:9"});
    CHECK_NOTHROW(AccountHealth{client});
    CHECK_THROWS_AS(AccountHealth(client, {.window_days = 0}), ValidationError);
    CHECK_THROWS_AS(AccountHealth(client, {.window_days = 32}), ValidationError);
    CHECK_THROWS_AS(AccountHealth(client, {.warmup_batch_size = 101}), ValidationError);
    CHECK_THROWS_AS(AccountHealth(client, {.daily_batch_size = 201}), ValidationError);
    CHECK_THROWS_AS(AccountHealth(client, {.vitals_batch_size = 0}), ValidationError);
    CHECK_THROWS_AS(AccountHealth(client, {.thresholds = {.min_sent_for_bounce_rate = -1}}), ValidationError);
  }

  TEST_CASE("account health: the analytics window ends on the given day and spans window_days days") {
    using namespace std::chrono;
    const auto window = health_detail::date_window(7, sys_days(year(2026) / March / 3));
    CHECK(window.start_date == "2026-02-25");
    CHECK(window.end_date == "2026-03-03");
    const auto one_day = health_detail::date_window(1, sys_days(year(2026) / January / 1));
    CHECK(one_day.start_date == "2026-01-01");
    CHECK(one_day.end_date == "2026-01-01");
  }
}
