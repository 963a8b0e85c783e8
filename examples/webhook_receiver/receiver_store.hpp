// Where the receiver keeps events and engagement: the seam between the HTTP
// side and a database. SqliteStore (sqlite_store.hpp, the default: one file,
// one receiver) and PostgresStore (postgres_store.hpp: one database, any
// number of receivers) keep the same promises:
//
// - store(): every event of the batch is durable when it returns, once per
//   dedupe key however many receivers got it; bodies that did not parse are
//   kept as received, once per body;
// - apply_pending(): folds stored events into the engagement, each exactly
//   once, in the transaction that marks it applied;
// - a crash loses nothing committed: the next run (or another receiver)
//   applies what is left.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace webhook_receiver {

struct Options;

/// A delivery to store: what the events table indexes, and the body as received.
struct NewEvent {
  std::string dedupe_key;
  std::string event_type;
  std::string campaign_id;
  std::optional<std::string> lead_email;
  std::string timestamp;
  std::string body;
};

/// A delivery that verified but did not parse: kept as received, once per body.
struct UnparsedDelivery {
  std::string body_sha256;  ///< hex
  std::string body;
  std::string received_at;  ///< from the spool
  std::string error;        ///< the parser's message
};

struct StoreCounts {
  std::int64_t events = 0;     ///< events stored
  std::int64_t unapplied = 0;  ///< of them, not yet folded into the engagement
  std::int64_t leads = 0;      ///< engagement rows
  std::int64_t unparsed = 0;   ///< bodies kept in the unparsed table
};

/// What store() did with a batch.
struct StoreResult {
  std::vector<bool> inserted;  ///< per event: new (true) or its dedupe key was stored already
};

/// What reparse() did.
struct ReparseResult {
  std::size_t tried = 0;
  std::size_t became_events = 0;  ///< parsed now: stored as events (or found stored) and gone from the table
};

class ReceiverStore {
 public:
  virtual ~ReceiverStore() = default;

  /// Stores the events and the unparsed bodies in one transaction and returns
  /// once it has committed. Throws when the transaction failed (then nothing
  /// of it is stored).
  virtual StoreResult store(const std::vector<NewEvent>& events, const std::vector<UnparsedDelivery>& unparsed) = 0;

  /// Parses every kept unparsed body again: those that parse now become events
  /// (deduplicated as usual) and leave the unparsed table, in one transaction.
  virtual ReparseResult reparse() = 0;

  /// Folds at most `limit` unapplied events into the engagement, in one
  /// transaction that also marks them applied; returns how many it applied.
  virtual std::size_t apply_pending(std::size_t limit) = 0;

  virtual StoreCounts counts() = 0;

  /// Throws (with a message for /readyz) unless a write could be made now: the
  /// database answers and is not read-only. Writes nothing.
  virtual void check_writable() = 0;
  virtual void close() = 0;
};

/// The store the options name: --database postgresql://... (PostgreSQL, needs
/// --organization) or --db FILE (SQLite). Throws std::runtime_error (or the
/// store's own error) with a message for the user.
std::unique_ptr<ReceiverStore> open_store(const Options& options);

}  // namespace webhook_receiver
