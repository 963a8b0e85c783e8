// The receiver's PostgreSQL store: `instantly_email_events` and
// `instantly_lead_engagement` (plus the engagement columns of `businesses`)
// of one organisation, in the pipeline's database (migrations/postgresql,
// docs/scale-out.md). Any number of receivers may share it:
//
// - an event is stored once: INSERT ... ON CONFLICT (organization_id,
//   dedupe_key) DO NOTHING, and the 200 goes out after the COMMIT;
// - workers of different receivers fold different events: each takes a batch
//   with FOR UPDATE SKIP LOCKED, and locks a lead's row (creating it first if
//   need be) before reading it, so two folds of one lead wait for each other
//   instead of overwriting each other. The fold is order-free, so which
//   receiver applies which event does not matter.
//
// Every transaction acts for the receiver's organisation (row-level security):
// the receiver's role sees and writes no other organisation's rows.
//
// Three connections, one per thread that uses them: the forwarder's, the
// worker's and /healthz's.
#pragma once

#include <instantly/postgres.hpp>

#include <mutex>
#include <optional>
#include <string>

#include "receiver_store.hpp"

namespace webhook_receiver {

class PostgresStore final : public ReceiverStore {
 public:
  /// Connects and checks the schema: a DatabaseError or SchemaError at start,
  /// never mid-stream. `organization_id` is a UUID.
  PostgresStore(const std::string& url, std::string organization_id);

  StoreResult store(const std::vector<NewEvent>& events, const std::vector<UnparsedDelivery>& unparsed) override;
  ReparseResult reparse() override;
  std::size_t apply_pending(std::size_t limit) override;
  StoreCounts counts() override;
  void check_writable() override;
  void close() override;

 private:
  instantly::postgres::Database connect(const std::string& url) const;

  std::string organization_id_;
  std::optional<instantly::postgres::Database> writer_;   // the forwarder's thread (and --reparse)
  std::optional<instantly::postgres::Database> folder_;   // the worker's thread
  std::mutex reader_mutex_;
  std::optional<instantly::postgres::Database> reader_;   // /healthz
};

}  // namespace webhook_receiver
