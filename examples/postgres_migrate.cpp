// postgres_migrate: brings the pipeline's PostgreSQL database to this build's
// schema (migrations/postgresql, compiled in), as the role that owns the tables.
//
//   INSTANTLY_DATABASE_URL=postgresql://owner:PASSWORD@db/pipeline postgres_migrate
//   postgres_migrate --database postgresql://owner@db/pipeline      # password from PGPASSWORD or ~/.pgpass
//
// Prints one line per migration applied, then the version. Safe to run from
// several machines at once, and again: each migration is applied once.
// Exit codes: 0 done, 1 the database refused (DatabaseError, SchemaError), 2 bad usage.
#include <instantly/postgres.hpp>

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  std::string url;
  CLI::App app("Applies the pipeline's PostgreSQL migrations.", "postgres_migrate");
  app.add_option("--database", url, "PostgreSQL URL of the tables' owner (default: $INSTANTLY_DATABASE_URL)")
      ->type_name("URL");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (url.empty()) {
    const char* from_environment = std::getenv("INSTANTLY_DATABASE_URL");
    if (from_environment == nullptr || *from_environment == '\0') {
      std::cerr << "postgres_migrate: give --database URL or set INSTANTLY_DATABASE_URL\n";
      return 2;
    }
    url = from_environment;
  }
  try {
    instantly::postgres::Database owner({.url = url, .application_name = "instantly postgres_migrate"});
    const auto report = instantly::postgres::apply_migrations(owner);
    for (const std::string& name : report.applied) std::cout << "applied " << name << "\n";
    std::cout << owner.describe() << " is at schema version " << report.to_version
              << (report.applied.empty() ? " (nothing to do)" : "") << "\n";
  } catch (const instantly::ValidationError& e) {
    std::cerr << "postgres_migrate: " << e.what() << "\n";
    return 2;
  } catch (const instantly::DatabaseError& e) {
    std::cerr << "postgres_migrate: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
