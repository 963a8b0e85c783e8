// webhook_receiver: receives Instantly webhooks and loses none it acknowledged.
//
//   webhook_receiver --port 8080 --db events.sqlite --secret-header X-Webhook-Secret --secret "$SECRET"
//   INSTANTLY_DATABASE_URL=postgresql://... webhook_receiver --port 8080 --organization UUID --secret "$SECRET"
//
// POST /webhook/instantly: verify the secret header (401), append to the
// durable spool, answer 200 once it is on disk (docs/nothing-lost.md). A
// forwarder moves spooled deliveries into the store by the event's dedupe key
// (raw body kept; a body that does not parse is kept in unparsed_deliveries),
// so the database may be down or slow without a single 5xx. A worker folds
// stored events into the engagement (one row per campaign and lead).
// GET /healthz: alive, with counts; GET /readyz: the spool is under 80% of
// its bound and the engagement keeps up (503 and the reasons otherwise); GET
// /metrics: Prometheus text (docs/observability.md). INSTANTLY_LOG=debug|info|warning
// logs deliveries on stderr (refused ones at warning). SIGTERM/SIGINT: stop accepting,
// answer what is in flight, forward the spool, apply what is stored, exit 0.
// A kill -9 loses nothing acknowledged: restart on the same spool and it
// forwards what is left; `--drain` does that for a spool whose receiver is
// gone, `--reparse` parses the kept unparsed bodies again.
//
// Files: options (command line), receiver_store (the store seam, open_store),
// sqlite_store + sqlite + engagement_table (SQLite), postgres_store
// (PostgreSQL), delivery_parse (a body into an event row or an unparsed one),
// forwarder (spool → store), engagement_fold (one event into its lead's row),
// engagement_worker (events → engagement), monitoring (log lines and
// metrics), receiver_server (HTTP). The spool is the library's
// instantly::webhooks::Spool.
#include <instantly/webhooks.hpp>

#include <pthread.h>

#include <csignal>
#include <exception>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "engagement_worker.hpp"
#include "forwarder.hpp"
#include "monitoring.hpp"
#include "options.hpp"
#include "receiver_server.hpp"
#include "receiver_store.hpp"

namespace {

using namespace webhook_receiver;

/// What was stored, folded into the engagement: a command with no receiver running after it
/// leaves a complete database.
void apply_everything(ReceiverStore& store) {
  constexpr std::size_t kBatch = 500;
  while (store.apply_pending(kBatch) > 0) {
  }
}

/// --reparse: the kept unparsed bodies through today's parser.
int reparse(ReceiverStore& store) {
  const ReparseResult result = store.reparse();
  apply_everything(store);
  std::cout << "reparsed " << result.tried << ": " << result.became_events << " became events, "
            << result.tried - result.became_events << " still unparsed" << std::endl;
  return 0;
}

/// --drain: a spool some receiver left (its machine gone, say) into the store.
int drain(instantly::webhooks::Spool& spool, ReceiverStore& store) {
  const Monitoring monitoring;
  Forwarder forwarder(spool, store, monitoring, nullptr);
  const std::uint64_t moved = forwarder.drain();
  apply_everything(store);
  std::cout << "drained " << moved << " deliveries" << std::endl;
  return 0;
}

int serve(const Options& options, instantly::webhooks::Spool& spool, ReceiverStore& store,
          const sigset_t& stop_signals) {
  instantly::webhooks::SecretHeaderVerifier verifier(options.secret_header, options.secrets);
  EngagementWorker worker(store);
  const Monitoring monitoring;
  Forwarder forwarder(spool, store, monitoring, [&worker] { worker.notify(); });
  forwarder.start();  // what an earlier run left in the spool goes first
  ReceiverServer server(options, verifier, spool, forwarder, worker, store, monitoring);
  server.start();
  std::cout << "listening on " << server.url() << std::endl;

  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cerr << "webhook_receiver: " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ", shutting down\n";
  server.stop();     // no new requests; the ones in flight are answered
  forwarder.stop();
  try {
    forwarder.drain();  // what is spooled into the store, when the store is there
  } catch (const std::exception& e) {
    std::cerr << "webhook_receiver: " << spool.usage().pending << " deliveries stay in the spool "
              << spool.directory().string() << " (" << e.what() << "); the next start forwards them\n";
  }
  worker.stop();  // applies what is stored
  spool.close();
  store.close();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace webhook_receiver;
  Options options;
  try {
    std::string help;
    options = parse_options(argc, argv, help);
    if (!help.empty()) {
      std::cout << help;
      return 0;
    }
  } catch (const std::invalid_argument& e) {
    std::cerr << "webhook_receiver: " << e.what() << "\n";
    return 2;
  }

  // SIGINT/SIGTERM are blocked in every thread (threads started below inherit
  // the mask) and taken with sigwait() here, so shutdown runs in main().
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A client hanging up mid-answer must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);

  try {
    // Both at start, so that a store that refuses the schema or a spool directory that
    // cannot be written is a clear error now, not a 503 at the first delivery.
    std::unique_ptr<ReceiverStore> store = open_store(options);
    if (options.reparse) return reparse(*store);
    instantly::webhooks::Spool spool({.directory = options.spool_dir, .max_bytes = options.spool_max_bytes});
    if (options.drain) return drain(spool, *store);
    return serve(options, spool, *store, stop_signals);
  } catch (const std::exception& e) {
    std::cerr << "webhook_receiver: " << e.what() << "\n";
    return 1;
  }
}
