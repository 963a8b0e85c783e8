// Organisation isolation, enforced by PostgreSQL itself: the application role
// acting for org A can neither read nor write org B's rows, in any table; a
// session that names no organisation sees and writes nothing; and the role
// cannot switch the policies off.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/postgres.hpp"
#include "postgres/pipeline_database.hpp"

namespace {

using instantly::DatabaseError;
using instantly::postgres::Database;
using instantly::postgres::Parameters;
using instantly::postgres::Transaction;
using instantly::testing::kOrgA;
using instantly::testing::kOrgB;
using instantly::testing::PipelineDatabase;

/// One row for every table the policies cover, in `organization` ($1).
const std::vector<std::pair<std::string, std::string>> kOneRowPerTable{
    {"businesses", "INSERT INTO businesses (organization_id, name, email) VALUES ($1, 'Acme Cafe', 'hi@acme.example')"},
    {"instantly_api_keys",
     "INSERT INTO instantly_api_keys (organization_id, sealed_key) VALUES ($1, 'iks1.default.AbCd1234.bm9uY2U.Y2lwaGVy.dGFn')"},
    {"instantly_campaigns",
     "INSERT INTO instantly_campaigns (organization_id, campaign_key, instantly_campaign_id, name) "
     "VALUES ($1, 'cafes-la', 'c-1', 'Cafes LA')"},
    {"instantly_email_events",
     "INSERT INTO instantly_email_events (organization_id, dedupe_key, event_type, campaign_id, occurred_at, body) "
     "VALUES ($1, 'k-1', 'email_sent', 'c-1', '2026-01-05T10:00:00Z', '{}')"},
    {"instantly_lead_engagement",
     "INSERT INTO instantly_lead_engagement (organization_id, campaign_id, lead_email) VALUES ($1, 'c-1', 'hi@acme.example')"},
    {"instantly_export_logs",
     "INSERT INTO instantly_export_logs (organization_id, campaign_id, started_at, total, uploaded) "
     "VALUES ($1, 'c-1', now(), 10, 10)"},
    {"instantly_analytics_snapshots",
     "INSERT INTO instantly_analytics_snapshots (organization_id, campaign_id, taken_at, payload) "
     "VALUES ($1, 'c-1', now(), '{}')"},
    {"instantly_account_health_snapshots",
     "INSERT INTO instantly_account_health_snapshots (organization_id, account_email, taken_at, status) "
     "VALUES ($1, 'sender@acme.example', now(), 'healthy')"},
    {"instantly_unparsed_deliveries",
     "INSERT INTO instantly_unparsed_deliveries (organization_id, body_sha256, body, received_at, error) "
     "VALUES ($1, 'ab12', 'not json'::bytea, now(), 'webhook body is not JSON')"},
    {"instantly_webhook_gaps",
     "INSERT INTO instantly_webhook_gaps (organization_id, webhook_id, target_url, gap_start, gap_end, resumed) "
     "VALUES ($1, 'w1', 'https://hooks.example/in', '2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', true)"},
};

std::string count_of(Transaction& tx, const std::string& table) {
  return tx.execute("SELECT count(*) FROM " + table).at(0, 0);
}

std::string sqlstate_of(const std::function<void()>& work) {
  try {
    work();
  } catch (const DatabaseError& e) {
    return e.sqlstate();
  }
  return "no error";
}

}  // namespace

TEST_SUITE("postgres isolation") {
  TEST_CASE("org A's session cannot read or write org B's rows, in any table") {
    PipelineDatabase pipeline;
    Database app = pipeline.app();
    for (const char* organization : {kOrgA, kOrgB}) {
      app.in_organization(organization, [&](Transaction& tx) {
        for (const auto& [table, insert] : kOneRowPerTable) tx.execute(insert, {organization});
      });
    }
    app.in_organization(kOrgA, [&](Transaction& tx) {
      for (const auto& [table, insert] : kOneRowPerTable) {
        CAPTURE(table);
        CHECK(count_of(tx, table) == "1");  // its own row only
        CHECK(tx.execute("SELECT count(*) FROM " + table + " WHERE organization_id = $1", {kOrgB}).at(0, 0) == "0");
        // Updates and deletes aimed at B's rows find none.
        CHECK(tx.execute("UPDATE " + table + " SET organization_id = organization_id WHERE organization_id = $1",
                         {kOrgB}).affected() == 0);
        CHECK(tx.execute("DELETE FROM " + table + " WHERE organization_id = $1", {kOrgB}).affected() == 0);
      }
    });
    // Writing a row for B while acting for A is refused by the policy's WITH CHECK, and moving
    // A's row to B too.
    for (const auto& [table, insert] : kOneRowPerTable) {
      CAPTURE(table);
      CHECK(sqlstate_of([&] { app.in_organization(kOrgA, [&](Transaction& tx) { tx.execute(insert, {kOrgB}); }); }) ==
            "42501");
      CHECK(sqlstate_of([&] {
              app.in_organization(kOrgA, [&](Transaction& tx) {
                tx.execute("UPDATE " + table + " SET organization_id = $1", {kOrgB});
              });
            }) == "42501");
    }
    // B's rows are all still there, untouched.
    app.in_organization(kOrgB, [&](Transaction& tx) {
      for (const auto& [table, insert] : kOneRowPerTable) CHECK(count_of(tx, table) == "1");
    });
  }

  TEST_CASE("a session that names no organisation sees no rows and can write none") {
    PipelineDatabase pipeline;
    Database app = pipeline.app();
    app.in_organization(kOrgA, [&](Transaction& tx) { tx.execute(kOneRowPerTable[0].second, {kOrgA}); });
    CHECK(app.execute("SELECT count(*) FROM businesses").at(0, 0) == "0");
    CHECK(sqlstate_of([&] { app.execute(kOneRowPerTable[0].second, {kOrgA}); }) == "42501");
    // The setting ends with its transaction: the connection does not carry A into the next one.
    app.in_organization(kOrgA, [](Transaction&) {});
    CHECK(app.execute("SELECT count(*) FROM businesses").at(0, 0) == "0");
  }

  TEST_CASE("the application role cannot switch the policies off or act as the owner") {
    PipelineDatabase pipeline;
    Database app = pipeline.app();
    CHECK(app.execute("SELECT rolbypassrls OR rolsuper FROM pg_roles WHERE rolname = current_user").at(0, 0) == "f");
    CHECK(sqlstate_of([&] { app.execute("ALTER TABLE businesses DISABLE ROW LEVEL SECURITY"); }) == "42501");
    CHECK(sqlstate_of([&] { app.execute("DROP POLICY organization_isolation ON businesses"); }) == "42501");
    CHECK(sqlstate_of([&] { app.execute("SET ROLE pipeline_owner"); }) == "42501");
    // With row_security off, a query the policies would filter fails instead of seeing everything.
    app.execute("SET row_security = off");
    CHECK(sqlstate_of([&] { app.execute("SELECT count(*) FROM businesses"); }) == "42501");
  }

  TEST_CASE("an event is stored once per organisation, however often it is delivered") {
    PipelineDatabase pipeline;
    Database app = pipeline.app();
    const std::string insert =
        "INSERT INTO instantly_email_events (organization_id, dedupe_key, event_type, campaign_id, occurred_at, body) "
        "VALUES ($1, $2, 'email_opened', 'c-1', '2026-01-05T10:00:00Z', '{}') "
        "ON CONFLICT (organization_id, dedupe_key) DO NOTHING";
    std::size_t stored = 0;
    for (int delivery = 0; delivery < 3; ++delivery) {
      app.in_organization(kOrgA, [&](Transaction& tx) { stored += tx.execute(insert, {kOrgA, "open-1"}).affected(); });
    }
    CHECK(stored == 1);
    // The same key in another organisation is another organisation's event.
    app.in_organization(kOrgB, [&](Transaction& tx) { CHECK(tx.execute(insert, {kOrgB, "open-1"}).affected() == 1); });
  }

  TEST_CASE("an event told twice with different dedupe keys is stored once when it has an identity") {
    // A backfill and the late webhook delivery of one reply: other dedupe keys, the same email id.
    PipelineDatabase pipeline;
    Database app = pipeline.app();
    const std::string insert =
        "INSERT INTO instantly_email_events (organization_id, dedupe_key, event_type, campaign_id, lead_email, "
        "occurred_at, body) VALUES ($1, $2, $3, 'c-1', $4, '2026-01-05T10:00:00Z', $5) "
        "ON CONFLICT (organization_id, dedupe_key) DO NOTHING";
    auto store = [&](const char* organization, const char* key, const char* type, const char* lead, const char* body) {
      std::size_t affected = 0;
      app.in_organization(organization, [&](Transaction& tx) {
        affected = tx.execute(insert, {organization, key, type, lead, body}).affected();
      });
      return affected;
    };
    CHECK(store(kOrgA, "backfill", "reply_received", "ann@cafe.example", R"({"email_id":"reply-1"})") == 1);
    CHECK(store(kOrgA, "webhook", "reply_received", "ann@cafe.example", R"({"email_id":"reply-1","variant":2})") == 0);
    CHECK(store(kOrgA, "another reply", "reply_received", "ann@cafe.example", R"({"email_id":"reply-2"})") == 1);
    // One unsubscribe per lead and campaign, whatever the spelling of the address.
    CHECK(store(kOrgA, "u1", "lead_unsubscribed", "Ann@Cafe.example", "{}") == 1);
    CHECK(store(kOrgA, "u2", "lead_unsubscribed", " ann@cafe.example", "{}") == 0);
    // Opens have no identity (one email may be opened many times); nor has a body jsonb refuses.
    CHECK(store(kOrgA, "o1", "email_opened", "ann@cafe.example", R"({"email_id":"sent-1"})") == 1);
    CHECK(store(kOrgA, "o2", "email_opened", "ann@cafe.example", R"({"email_id":"sent-1"})") == 1);
    CHECK(store(kOrgA, "n1", "email_sent", "ann@cafe.example", R"({"email_id":"s\u0000"})") == 1);
    CHECK(store(kOrgA, "n2", "email_sent", "ann@cafe.example", R"({"email_id":"s\u0000"})") == 1);
    // Another organisation's identities are its own.
    CHECK(store(kOrgB, "backfill", "reply_received", "ann@cafe.example", R"({"email_id":"reply-1"})") == 1);
  }

  TEST_CASE("API keys are stored sealed, never as plaintext") {
    PipelineDatabase pipeline;
    Database app = pipeline.app();
    CHECK(sqlstate_of([&] {
            app.in_organization(kOrgA, [&](Transaction& tx) {
              tx.execute("INSERT INTO instantly_api_keys (organization_id, sealed_key) VALUES ($1, $2)",
                         {kOrgA, std::string("sk-live-plaintext-key-0123456789")});
            });
          }) == "23514");
  }

  TEST_CASE("a transaction that throws is rolled back, and the error goes through") {
    PipelineDatabase pipeline;
    Database app = pipeline.app();
    CHECK_THROWS_WITH_AS(app.in_organization(kOrgA,
                                             [&](Transaction& tx) {
                                               tx.execute(kOneRowPerTable[0].second, {kOrgA});
                                               throw std::runtime_error("the scraper gave up");
                                             }),
                         "the scraper gave up", std::runtime_error);
    app.in_organization(kOrgA, [&](Transaction& tx) { CHECK(count_of(tx, "businesses") == "0"); });
    // A failed statement aborts its transaction; the connection is usable for the next one.
    CHECK_THROWS_AS(app.in_organization(kOrgA, [](Transaction& tx) { tx.execute("SELECT * FROM no_such_table"); }),
                    DatabaseError);
    app.in_organization(kOrgA, [&](Transaction& tx) { CHECK(count_of(tx, "businesses") == "0"); });
  }
}
