// webhook_receiver: receives Instantly webhooks and loses none it acknowledged.
//
//   webhook_receiver --port 8080 --db events.sqlite --secret-header X-Webhook-Secret --secret "$SECRET"
//   INSTANTLY_DATABASE_URL=postgresql://... webhook_receiver --port 8080 --organization UUID --secret "$SECRET"
//
// POST /webhook/instantly: verify the secret header (401), parse (400), store
// keyed by the event's dedupe key (raw body kept), answer 200 once the COMMIT
// returned. A worker folds stored events into the engagement (one row per
// campaign and lead). GET /healthz: alive, with counts; GET /readyz: the store
// is writable and the queues are short (503 and the reasons otherwise); GET
// /metrics: Prometheus text (docs/observability.md). INSTANTLY_LOG=debug|info|warning
// logs deliveries on stderr (refused ones at warning). SIGTERM/SIGINT: stop accepting,
// answer what is in flight, apply what is stored, close the database, exit 0.
// A kill -9 loses nothing acknowledged: restart on the same file and the
// worker catches up; on PostgreSQL, the other receivers' workers do.
//
// Files: options (command line), receiver_store (the store seam, open_store),
// sqlite_store + sqlite + engagement_table (SQLite), postgres_store
// (PostgreSQL), engagement_fold (one event into its lead's row), group_commit
// (one writer, one commit per batch), engagement_worker (events →
// engagement), monitoring (log lines and metrics), receiver_server (HTTP).
#include <instantly/webhooks.hpp>

#include <pthread.h>

#include <csignal>
#include <exception>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "engagement_worker.hpp"
#include "receiver_store.hpp"
#include "group_commit.hpp"
#include "monitoring.hpp"
#include "options.hpp"
#include "receiver_server.hpp"

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
    instantly::webhooks::SecretHeaderVerifier verifier(options.secret_header, options.secrets);
    std::unique_ptr<ReceiverStore> store = open_store(options);
    EngagementWorker worker(*store);
    GroupCommitter committer(*store, [&worker] { worker.notify(); });
    const Monitoring monitoring;
    ReceiverServer server(options, verifier, committer, worker, *store, monitoring);
    server.start();
    std::cout << "listening on " << server.url() << std::endl;

    int signal = 0;
    sigwait(&stop_signals, &signal);
    std::cerr << "webhook_receiver: " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ", shutting down\n";
    server.stop();     // no new requests; the ones in flight are answered
    committer.stop();  // nothing is queued any more, but make sure
    worker.stop();     // applies what is stored
    store->close();
  } catch (const std::exception& e) {
    std::cerr << "webhook_receiver: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
