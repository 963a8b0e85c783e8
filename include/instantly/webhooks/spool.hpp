// A local durable spool for webhook deliveries: acknowledge from disk, store later.
//
// A receiver appends each verified delivery and answers 2xx once append()
// returns: the bytes are on disk (fdatasync). A forwarder thread reads the
// deliveries in arrival order, stores them (parsing and deduplicating there)
// and commits its position. When the database is down the receiver keeps
// acknowledging and the spool grows; when it returns the spool drains. A
// crash loses nothing acknowledged: the next Spool on the directory starts at
// the committed position, and a redelivery to the store is deduplicated there.
//
//   webhooks::Spool spool({.directory = "events.spool"});
//   spool.append(request.body, request.content_type);   // then answer 200
//   // the forwarder:
//   for (;;) {
//     webhooks::SpoolBatch batch = spool.read(500, std::chrono::seconds(1));
//     store(batch.deliveries);                           // one transaction
//     spool.commit(batch.end);
//   }
//
// The format on disk (docs/nothing-lost.md) is shared with the Python package,
// which uses this class through its binding: either receiver drains the
// other's spool. One process owns a directory at a time (a `lock` file).
//
// Thread-safety: append() and usage() from any number of threads; read() and
// commit() from one forwarder thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/error.hpp"

namespace instantly::webhooks {

/// The spool cannot be used: its directory cannot be created, locked (another
/// process owns it), written or read, or a segment is damaged before its end.
/// The message names the directory or segment (and the offset of damage).
class SpoolError : public Error {
 public:
  using Error::Error;
};

/// append() would take the spool past its bound: answer 503, Instantly retries.
class SpoolFullError : public SpoolError {
 public:
  using SpoolError::SpoolError;
};

struct SpoolOptions {
  std::filesystem::path directory;  ///< created when missing (one level)
  /// The bound on the segment files' total size; append() throws SpoolFullError past it.
  std::uint64_t max_bytes = std::uint64_t{1} << 30;
  /// A new segment file starts once the current one has reached this size (at
  /// most max_bytes / 16: forwarded records count against the bound until
  /// their segment is deleted).
  std::uint64_t segment_bytes = std::uint64_t{64} << 20;
};

/// One delivery as it was accepted.
struct SpooledDelivery {
  std::string received_at;   ///< "2026-12-07T00:00:00.123Z" (UTC, milliseconds)
  std::string content_type;  ///< of the request; empty when it had none
  std::string body;          ///< byte for byte
};

/// A place in the spool: a segment's sequence number and a byte offset in it.
struct SpoolPosition {
  std::uint64_t segment = 0;
  std::uint64_t offset = 0;
  friend bool operator==(const SpoolPosition&, const SpoolPosition&) = default;
};

/// What read() returns: deliveries in arrival order, and the position after the last of them.
struct SpoolBatch {
  std::vector<SpooledDelivery> deliveries;
  SpoolPosition end;
};

struct SpoolUsage {
  std::uint64_t bytes = 0;      ///< the segment files' total size
  std::uint64_t max_bytes = 0;  ///< SpoolOptions::max_bytes
  std::uint64_t pending = 0;    ///< deliveries appended and not yet committed by the forwarder
  /// bytes / max_bytes; at 0.8 a receiver stops saying it is ready.
  double fill() const noexcept { return max_bytes == 0 ? 1.0 : static_cast<double>(bytes) / static_cast<double>(max_bytes); }
};

class Spool {
 public:
  /// Creates the directory when missing, takes its lock, and recovers: a
  /// record cut short at the end of the last segment (a crash mid-append,
  /// never acknowledged) is truncated away. Throws SpoolError.
  explicit Spool(SpoolOptions options);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  /// Appends one delivery and returns once it is on disk. Concurrent appends
  /// share one fdatasync. Throws SpoolFullError at the bound, SpoolError when
  /// the disk refuses (then nothing of it counts as appended).
  void append(std::string_view body, std::string_view content_type = {});

  /// Up to `max` deliveries after the committed position (or after the last
  /// read() batch not yet committed: a forwarder may read ahead), in arrival
  /// order. Waits up to `wait` for one when there is none; an empty batch when
  /// none came or the spool was closed. Does not move the committed position.
  SpoolBatch read(std::size_t max, std::chrono::milliseconds wait = std::chrono::milliseconds(0));

  /// Everything up to `end` (a read() batch's end) is stored: the position
  /// moves there durably, and segment files wholly behind it are deleted.
  void commit(const SpoolPosition& end);

  /// Where the next read() starts again after a restart: the committed position.
  SpoolPosition committed() const;

  /// Forget what read() handed out and not committed: the next read() starts
  /// at the committed position again (after the store refused a batch).
  void rewind();

  SpoolUsage usage() const;
  const std::filesystem::path& directory() const noexcept;

  /// Wakes a read() that waits, refuses later appends, releases the lock.
  void close();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace instantly::webhooks
