// A real PostgreSQL 15 with the pipeline's database as a deployment has it: a
// role that owns the tables and applies the migrations, and an application
// role that is only a member of `instantly_app` (no superuser, not the owner,
// no BYPASSRLS), as docs/scale-out.md tells operators to set it up.
#pragma once

#include <string>

#include "instantly/postgres.hpp"
#include "support/postgres_server.hpp"

namespace instantly::testing {

inline constexpr const char* kOrgA = "6f1c2a9e-0b7d-4c3e-9a51-2d8e4f0a1b11";
inline constexpr const char* kOrgB = "0d9b7c55-3e21-4f6a-8b0c-7a1e2f3d4c22";
inline constexpr const char* kOwnerPassword = "owner-password-5f2e";
inline constexpr const char* kAppPassword = "app-password-9c41";

class PipelineDatabase {
 public:
  /// `migrated`: apply the migrations and create the application role. The owner may create
  /// roles, for 0002 to make `instantly_app` (or an administrator makes it beforehand).
  explicit PipelineDatabase(bool migrated = true) {
    server_.psql("CREATE ROLE pipeline_owner LOGIN CREATEROLE PASSWORD '" + std::string(kOwnerPassword) + "'");
    server_.psql("CREATE DATABASE pipeline OWNER pipeline_owner");
    if (migrated) {
      postgres::Database owner_database = owner();
      postgres::apply_migrations(owner_database);
      add_app_role();
    }
  }

  /// The application's login role; `instantly_app` exists once 0002 is applied.
  void add_app_role() {
    server_.psql("CREATE ROLE pipeline_app LOGIN PASSWORD '" + std::string(kAppPassword) + "' IN ROLE instantly_app");
  }

  std::string owner_url() const { return server_.url("pipeline_owner", kOwnerPassword, "pipeline"); }
  std::string app_url() const { return server_.url("pipeline_app", kAppPassword, "pipeline"); }
  postgres::Database owner() const { return postgres::Database({.url = owner_url()}); }
  postgres::Database app() const { return postgres::Database({.url = app_url()}); }
  const PostgresServer& server() const { return server_; }

 private:
  PostgresServer server_;
};

}  // namespace instantly::testing
