// AnalyticsSync without a server: the rate definitions (and their zero
// guard), deltas (first snapshot, later ones, dropped campaigns), how ids are
// cut into calls, option checks, and one sync over a fake transport (repeated
// `ids` keys, drafts asked for by id, zero snapshots, remembered baseline).
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "instantly/instantly.hpp"
#include "instantly/workflows/analytics_sync.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"
#include "workflows/analytics_sync_chunks.hpp"

using instantly::HttpRequest;
using instantly::HttpResponse;
using instantly::Json;
using instantly::ValidationError;
using instantly::testing::FakeClock;
using instantly::testing::FakeTransport;
using instantly::testing::json_response;
using namespace instantly::workflows;
using std::chrono::system_clock;

namespace {

const system_clock::time_point kMonday = system_clock::time_point(std::chrono::seconds(1'767'571'200));

CampaignSnapshot snapshot(std::string id, std::int64_t contacted, std::int64_t sent,
                          system_clock::time_point at = kMonday) {
  CampaignSnapshot s;
  s.campaign_id = std::move(id);
  s.counters.contacted = contacted;
  s.counters.emails_sent = sent;
  s.taken_at = at;
  return s;
}

instantly::Client sync_client_over(std::shared_ptr<FakeTransport> transport) {
  return instantly::Client({.api_key = "sk_test",
                            .base_url = "http://api.test",
                            .retry = {.max_retries = 0, .jitter = [] { return 0.0; }},
                            .rate_limit = {.enabled = false},
                            .transport = std::move(transport),
                            .clock = std::make_shared<FakeClock>(),
                            .validate_requests = false});
}

/// Every `key=` value of a URL's query string, in order (the test ids need no decoding).
std::vector<std::string> query_values(const std::string& url, const std::string& key) {
  std::vector<std::string> values;
  auto at = url.find('?');
  while (at != std::string::npos) {
    auto end = url.find('&', at + 1);
    std::string part = url.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
    if (part.starts_with(key + "=")) values.push_back(part.substr(key.size() + 1));
    at = end;
  }
  return values;
}

std::string path_of(const std::string& url) {
  auto start = url.find("/api/");
  return url.substr(start, url.find('?') == std::string::npos ? std::string::npos : url.find('?') - start);
}

Json analytics_row(const std::string& id, std::int64_t contacted, std::int64_t opened_unique, int status = 1) {
  return Json::object({{"campaign_name", "Campaign " + id}, {"campaign_id", id}, {"campaign_status", status},
                       {"campaign_is_evergreen", false}, {"leads_count", contacted + 1},
                       {"contacted_count", contacted}, {"emails_sent_count", contacted * 2},
                       {"new_leads_contacted_count", contacted}, {"open_count", opened_unique * 3},
                       {"open_count_unique", opened_unique}, {"reply_count", 0}, {"link_click_count", 0},
                       {"bounced_count", 0}, {"unsubscribed_count", 0}, {"completed_count", 0},
                       {"total_opportunities", 0}, {"total_opportunity_value", 0}});
}

Json campaign_json(const std::string& id, int status) {
  return Json::object({{"id", id}, {"name", "Listed " + id}, {"status", status},
                       {"timestamp_created", "2026-01-01T00:00:00Z"}, {"timestamp_updated", "2026-01-01T00:00:00Z"},
                       {"campaign_schedule", Json::object({{"schedules", Json::array()}})}});
}

}  // namespace

TEST_SUITE("analytics sync") {
  TEST_CASE("analytics sync: rates are undefined while nobody was contacted") {
    AnalyticsCounters none;
    none.emails_sent = 5;  // sent but not contacted cannot happen, and still must not divide by zero
    none.bounced = 2;
    const AnalyticsRates rates = none.rates();
    CHECK_FALSE(rates.open.has_value());
    CHECK_FALSE(rates.reply.has_value());
    CHECK_FALSE(rates.click.has_value());
    CHECK_FALSE(rates.bounce.has_value());
    CHECK_FALSE(rates.unsubscribe.has_value());
  }

  TEST_CASE("analytics sync: each rate divides its unique counter by contacted") {
    AnalyticsCounters c;
    c.contacted = 200;
    c.opened = 500;  // every open: not what the open rate uses
    c.opened_unique = 50;
    c.replies = 30;
    c.replies_unique = 20;
    c.replies_automatic = 40;  // out-of-office replies do not count as replies
    c.clicks = 90;
    c.clicks_unique = 10;
    c.bounced = 4;
    c.unsubscribed = 2;
    const AnalyticsRates rates = c.rates();
    CHECK(rates.open == doctest::Approx(0.25));
    CHECK(rates.reply == doctest::Approx(0.10));
    CHECK(rates.click == doctest::Approx(0.05));
    CHECK(rates.bounce == doctest::Approx(0.02));
    CHECK(rates.unsubscribe == doctest::Approx(0.01));
  }

  TEST_CASE("analytics sync: a campaign seen for the first time has its whole value as delta") {
    std::vector<CampaignSnapshot> now = {snapshot("a", 10, 12)};
    now[0].leads_count = 30;
    auto deltas = deltas_between({}, now);
    REQUIRE(deltas.size() == 1);
    CHECK(deltas[0].first_seen);
    CHECK_FALSE(deltas[0].since.has_value());
    CHECK(deltas[0].counters == now[0].counters);
    CHECK(deltas[0].leads_count == 30);
  }

  TEST_CASE("analytics sync: deltas subtract the previous snapshot of the same campaign") {
    const auto earlier = kMonday - std::chrono::minutes(5);
    std::vector<CampaignSnapshot> before = {snapshot("gone", 1, 1, earlier), snapshot("a", 10, 12, earlier),
                                            snapshot("b", 7, 7, earlier)};
    before[1].counters.opportunity_value = 100.0;
    std::vector<CampaignSnapshot> now = {snapshot("b", 7, 5), snapshot("a", 15, 20), snapshot("new", 3, 3)};
    now[1].counters.opportunity_value = 250.0;
    auto deltas = deltas_between(before, now);
    REQUIRE(deltas.size() == 3);
    CHECK(deltas[0].campaign_id == "b");  // the current set's order
    CHECK(deltas[0].counters.emails_sent == -2);  // may go down (leads deleted, a moving date window)
    CHECK(deltas[1].campaign_id == "a");
    CHECK_FALSE(deltas[1].first_seen);
    CHECK(deltas[1].since == earlier);
    CHECK(deltas[1].counters.contacted == 5);
    CHECK(deltas[1].counters.emails_sent == 8);
    CHECK(deltas[1].counters.opportunity_value == doctest::Approx(150.0));
    CHECK(deltas[2].first_seen);
    CHECK(dropped_between(before, now) == std::vector<std::string>{"gone"});
  }

  TEST_CASE("analytics sync: ids are cut into ceil(N/k) chunks, in order, each id once") {
    std::vector<std::string> ids;
    for (int i = 0; i < 250; ++i) ids.push_back("019a0000-0000-7000-8000-" + std::to_string(100000000000 + i));
    auto chunks = detail::chunk_ids(ids, 100, kMaxIdsQueryBytes);
    REQUIRE(chunks.size() == 3);
    CHECK(chunks[0].size() == 100);
    CHECK(chunks[1].size() == 100);
    CHECK(chunks[2].size() == 50);
    CHECK(chunks[0].front() == ids.front());
    CHECK(chunks[2].back() == ids.back());
    CHECK(detail::chunk_ids(ids, 1000, kMaxIdsQueryBytes).size() == 2);  // 36-char ids: ~146 fit the budget
    CHECK(detail::chunk_ids({}, 100, kMaxIdsQueryBytes).empty());
  }

  TEST_CASE("analytics sync: the byte budget closes a chunk before the count does") {
    std::vector<std::string> ids(5, std::string(2000, 'x'));  // 2,005 bytes each as `ids=...&`
    auto chunks = detail::chunk_ids(ids, 100, kMaxIdsQueryBytes);
    REQUIRE(chunks.size() == 3);
    CHECK(chunks[0].size() == 2);
    CHECK(chunks[2].size() == 1);
    // An id that alone passes the budget still goes out, on its own.
    const std::vector<std::string> huge = {std::string(7000, 'y')};
    CHECK(detail::chunk_ids(huge, 100, kMaxIdsQueryBytes).size() == 1);
    CHECK(detail::ids_query_bytes("a b") == 4 + 5 + 1);  // the space is encoded as %20
  }

  TEST_CASE("analytics sync: bad options are refused before anything is sent") {
    auto transport = std::make_shared<FakeTransport>();
    auto client = sync_client_over(transport);
    CHECK_THROWS_AS(AnalyticsSync(client, {.chunk_size = 0}), ValidationError);
    CHECK_THROWS_AS(AnalyticsSync(client, {.chunk_size = 1001}), ValidationError);
    CHECK_THROWS_AS(AnalyticsSync(client, {.campaign_ids = {"a", ""}}), ValidationError);
    AnalyticsSync deduplicated(client, {.campaign_ids = {"a", "b", "a"}});
    CHECK(deduplicated.options().campaign_ids == std::vector<std::string>{"a", "b"});
    CHECK(transport->request_count() == 0);
  }

  TEST_CASE("analytics sync: lists every campaign and asks by repeated ids, drafts included") {
    // Campaigns c0..c4, c1 a draft; the analytics answer leaves c3 out (deleted meanwhile).
    int syncs = 0;
    auto transport = std::make_shared<FakeTransport>([&syncs](const HttpRequest& request) -> HttpResponse {
      const std::string path = path_of(request.url);
      if (path == "/api/v2/campaigns") {
        const auto after = query_values(request.url, "starting_after");
        Json items = Json::array();
        if (after.empty()) {
          for (int i = 0; i < 5; ++i) items.push_back(campaign_json("c" + std::to_string(i), i == 1 ? 0 : 1));
          return json_response(200, Json::object({{"items", items}, {"next_starting_after", "c4"}}).dump());
        }
        return json_response(200, Json::object({{"items", items}}).dump());
      }
      if (path == "/api/v2/campaigns/analytics") {
        Json rows = Json::array();
        for (const std::string& id : query_values(request.url, "ids")) {
          const bool draft = id == "c1";
          if (id != "c3") rows.push_back(analytics_row(id, draft ? 0 : 10 * (syncs + 1), draft ? 0 : 2, draft ? 0 : 1));
        }
        return json_response(200, rows.dump());
      }
      return json_response(404, R"({"error":"Not Found"})");
    });
    system_clock::time_point now = kMonday;
    AnalyticsSync sync(sync_client_over(transport), {.chunk_size = 2, .now = [&now] { return now; }});

    AnalyticsSyncResult first = sync.sync();
    ++syncs;
    CHECK(first.analytics_calls == 3);  // ceil(5 / 2)
    CHECK(first.requests == 5);         // + two listing pages (the second one empty)
    std::vector<std::string> asked;
    for (const HttpRequest& r : transport->requests()) {
      CHECK(r.url.size() < 8192);
      if (path_of(r.url) != "/api/v2/campaigns/analytics") continue;
      CHECK(query_values(r.url, "id").empty());
      for (auto& id : query_values(r.url, "ids")) asked.push_back(id);
    }
    CHECK(asked == std::vector<std::string>{"c0", "c1", "c2", "c3", "c4"});
    REQUIRE(first.snapshots.size() == 5);
    CHECK(first.snapshots[1].campaign_id == "c1");
    CHECK(first.snapshots[1].campaign_status == instantly::CampaignStatus::Draft);
    CHECK_FALSE(first.snapshots[1].rates().open.has_value());  // contacted 0
    const CampaignSnapshot* missing = first.find("c3");
    REQUIRE(missing);
    CHECK_FALSE(missing->reported);
    CHECK(missing->campaign_name == "Listed c3");
    CHECK(missing->counters == AnalyticsCounters{});
    CHECK(first.find("c0")->taken_at == kMonday);
    CHECK(first.find("c0")->rates().open == doctest::Approx(0.2));
    CHECK(first.find_delta("c0")->first_seen);

    now += std::chrono::minutes(5);
    AnalyticsSyncResult second = sync.sync();
    const CampaignDelta* delta = second.find_delta("c0");
    REQUIRE(delta);
    CHECK_FALSE(delta->first_seen);
    CHECK(delta->since == kMonday);
    CHECK(delta->counters.contacted == 10);
    CHECK(delta->counters.emails_sent == 20);
    CHECK(second.find_delta("c1")->counters == AnalyticsCounters{});

    // Against a stored set instead of the remembered one.
    std::vector<CampaignSnapshot> stored = {snapshot("c0", 5, 5)};
    AnalyticsSyncResult third = sync.sync(stored);
    CHECK(third.find_delta("c0")->counters.contacted == 15);
    CHECK(third.find_delta("c2")->first_seen);
    CHECK(sync.previous() == third.snapshots);
  }

  TEST_CASE("analytics sync: a failed sync keeps the previous snapshots") {
    bool fail = false;
    auto transport = std::make_shared<FakeTransport>([&fail](const HttpRequest& request) -> HttpResponse {
      if (fail) return json_response(500, R"({"error":"Internal"})");
      Json rows = Json::array();
      for (const std::string& id : query_values(request.url, "ids")) rows.push_back(analytics_row(id, 4, 1));
      return json_response(200, rows.dump());
    });
    AnalyticsSync sync(sync_client_over(transport), {.campaign_ids = {"x", "y"}});
    AnalyticsSyncResult first = sync.sync();
    CHECK(first.requests == 1);  // explicit ids: no listing
    fail = true;
    CHECK_THROWS_AS(sync.sync(), instantly::InternalServerError);
    CHECK(sync.previous() == first.snapshots);
  }
}
