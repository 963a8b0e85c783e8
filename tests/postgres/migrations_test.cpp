// The PostgreSQL schema's migrations against a real server: applied once and in
// order, safe to race, and a database that does not match this build is a
// SchemaError at start that says what to do.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/postgres.hpp"
#include "postgres/pipeline_database.hpp"

namespace {

using instantly::SchemaError;
using instantly::postgres::apply_migrations;
using instantly::postgres::Database;
using instantly::testing::PipelineDatabase;

std::string schema_refusal(Database& database) {
  try {
    database.require_current_schema();
  } catch (const SchemaError& e) {
    return e.what();
  }
  FAIL("expected a SchemaError");
  return {};
}

}  // namespace

TEST_SUITE("postgres migrations") {
  TEST_CASE("migrations apply once, in order, and record what they applied") {
    PipelineDatabase pipeline(false);
    Database owner = pipeline.owner();
    CHECK(owner.schema_version() == 0);

    const auto first = apply_migrations(owner);
    CHECK(first.from_version == 0);
    CHECK(first.to_version == instantly::postgres::latest_schema_version());
    CHECK(first.applied == std::vector<std::string>{"0001_pipeline_schema.sql", "0002_row_level_security.sql",
                                                    "0003_unparsed_deliveries.sql", "0004_reconcile.sql"});
    CHECK(owner.schema_version() == 4);
    owner.require_current_schema();

    const auto again = apply_migrations(owner);
    CHECK(again.from_version == 4);
    CHECK(again.applied.empty());
    const auto recorded = owner.execute("SELECT version, name, length(sha256) FROM instantly_schema_migrations ORDER BY 1");
    REQUIRE(recorded.size() == 4);
    CHECK(recorded.at(1, 1) == "0002_row_level_security.sql");
    CHECK(recorded.at(2, 1) == "0003_unparsed_deliveries.sql");
    CHECK(recorded.at(3, 1) == "0004_reconcile.sql");
    CHECK(recorded.at(1, 2) == "64");
  }

  TEST_CASE("processes that start together apply each migration exactly once") {
    PipelineDatabase pipeline(false);
    std::vector<std::vector<std::string>> applied(4);
    {
      std::vector<std::jthread> starters;
      for (std::size_t i = 0; i < applied.size(); ++i) {
        starters.emplace_back([&, i] {
          Database owner = pipeline.owner();
          applied[i] = apply_migrations(owner).applied;
        });
      }
    }
    std::vector<std::string> all;
    for (const auto& names : applied) all.insert(all.end(), names.begin(), names.end());
    std::sort(all.begin(), all.end());
    CHECK(all == std::vector<std::string>{"0001_pipeline_schema.sql", "0002_row_level_security.sql",
                                          "0003_unparsed_deliveries.sql", "0004_reconcile.sql"});
    CHECK(pipeline.owner().schema_version() == 4);
  }

  TEST_CASE("a database that does not match this build is a SchemaError that says what to do") {
    PipelineDatabase pipeline(false);
    Database owner = pipeline.owner();
    CHECK(schema_refusal(owner).find("has no instantly schema: apply the migrations") != std::string::npos);

    apply_migrations(owner);
    pipeline.add_app_role();
    Database app = pipeline.app();
    app.require_current_schema();  // the application role may read the versions

    SUBCASE("a migration is missing") {
      owner.execute("DELETE FROM instantly_schema_migrations WHERE version = 4");
      const std::string message = schema_refusal(app);
      CHECK(message.find("is at schema version 3; this build needs 4 (missing 0004_reconcile.sql)") !=
            std::string::npos);
      CHECK(message.find("apply_migrations") != std::string::npos);
    }
    SUBCASE("a newer build applied one this build does not know") {
      owner.execute("INSERT INTO instantly_schema_migrations (version, name, sha256) VALUES (5, '0005_later.sql', 'x')");
      CHECK(schema_refusal(app).find("holds migration 0005_later.sql, which this build of instantly does not know") !=
            std::string::npos);
      CHECK_THROWS_AS(apply_migrations(owner), SchemaError);
    }
    SUBCASE("a shipped migration was edited after it was applied") {
      owner.execute("UPDATE instantly_schema_migrations SET sha256 = repeat('0', 64) WHERE version = 1");
      CHECK(schema_refusal(app).find("0001_pipeline_schema.sql was applied from a file with other contents") !=
            std::string::npos);
    }
    // Messages name the server, never a password.
    CHECK(schema_refusal(owner).find(instantly::testing::kOwnerPassword) == std::string::npos);
  }

  TEST_CASE("a failed migration leaves the database as it was") {
    PipelineDatabase pipeline(false);
    // A table in the way of 0001: its CREATE TABLE fails, and nothing of 0001 (or of the
    // record of it) may stay behind.
    pipeline.server().psql("CREATE TABLE instantly_campaigns (id int)", "pipeline");
    Database owner = pipeline.owner();
    CHECK_THROWS_AS(apply_migrations(owner), instantly::DatabaseError);
    CHECK(owner.execute("SELECT to_regclass('businesses') IS NULL").at(0, 0) == "t");
    CHECK(owner.schema_version() == 0);
  }
}
