#include "options.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "common/store_choice.hpp"

namespace webhook_receiver {

namespace {

std::vector<std::string> secrets_from_environment() {
  std::vector<std::string> secrets;
  const char* value = std::getenv("INSTANTLY_WEBHOOK_SECRET");
  std::string_view text = value ? value : "";
  while (!text.empty()) {
    auto comma = text.find(',');
    if (comma != 0) secrets.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return secrets;
}

}  // namespace

Options parse_options(int argc, const char* const* argv, std::string& help) {
  Options o;
  CLI::App app("Receives Instantly webhooks: verify, store durably (SQLite or PostgreSQL), fold into the engagement.",
               "webhook_receiver");
  app.set_help_flag("-h,--help", "Print this help and exit");
  app.add_option("--host", o.host, "Address to listen on")->capture_default_str();
  app.add_option("--port", o.port, "Port; 0 lets the OS choose. The first stdout line is \"listening on URL\"")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  auto* sqlite = app.add_option("--db", o.db_path, "SQLite file (created when missing)")->type_name("FILE");
  auto* database =
      app.add_option("--database", o.database_url,
                     "PostgreSQL URL, shared by any number of receivers (default: $INSTANTLY_DATABASE_URL, which "
                     "keeps the password out of `ps`)")
          ->type_name("URL")
          ->excludes(sqlite);
  sqlite->excludes(database);
  app.add_option("--organization", o.organization, "With --database: the organisation (UUID) whose rows it writes")
      ->type_name("UUID");
  app.add_option("--secret-header", o.secret_header, "Header carrying the subscription's secret")
      ->type_name("NAME")
      ->capture_default_str();
  app.add_option("--secret", o.secrets, "Accepted secret (repeat for rotation); default: $INSTANTLY_WEBHOOK_SECRET")
      ->type_name("S")
      ->allow_extra_args(false);
  app.add_option("--threads", o.threads, "HTTP worker threads")->check(CLI::Range(1, 1024))->capture_default_str();
  app.add_option("--spool", o.spool_dir,
                 "Directory of the durable spool deliveries are acknowledged from (default: <db>.spool, or "
                 "instantly-webhooks.spool with --database)")
      ->type_name("DIR");
  app.add_option("--spool-max-bytes", o.spool_max_bytes,
                 "Bound on the spool; at 80% /readyz says not ready, at the bound deliveries get 503")
      ->check(CLI::Range(std::uint64_t{1024}, std::uint64_t{1} << 50))
      ->capture_default_str();
  auto* drain = app.add_flag("--drain", o.drain, "Forward everything in the spool into the store, then exit");
  app.add_flag("--reparse", o.reparse, "Parse the kept unparsed deliveries again (those that parse become events), "
                                       "then exit")
      ->excludes(drain);
  app.add_option("--fail-rate", o.fail_rate, "Testing: answer 500 before spooling for this fraction of deliveries")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--lose-ack-rate", o.lose_ack_rate,
                 "Testing: spool, then answer 500 for this fraction of deliveries (a lost acknowledgement)")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--seed", o.seed, "Seed for --fail-rate and --lose-ack-rate")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    help = app.help();
    return o;
  } catch (const CLI::ParseError& e) {
    throw std::invalid_argument(e.what());
  }
  examples::check_store_choice(o.db_path, o.database_url, o.organization, "the events");
  if (o.spool_dir.empty()) o.spool_dir = o.db_path.empty() ? "instantly-webhooks.spool" : o.db_path + ".spool";
  if (o.drain || o.reparse) return o;  // no HTTP: no secret needed
  if (o.secrets.empty()) o.secrets = secrets_from_environment();
  if (o.secrets.empty()) throw std::invalid_argument("give at least one --secret (or set INSTANTLY_WEBHOOK_SECRET)");
  for (const auto& secret : o.secrets) {
    if (secret.empty()) throw std::invalid_argument("--secret must not be empty");
  }
  if (o.fail_rate + o.lose_ack_rate > 1.0) throw std::invalid_argument("--fail-rate plus --lose-ack-rate exceed 1");
  return o;
}

}  // namespace webhook_receiver
