// Where finished chunks meet: the report's counts and records, the
// checkpoint, the callbacks and the progress figures, all under one lock so
// callbacks run one chunk at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <string>

#include "instantly/workflows/lead_import.hpp"
#include "workflows/lead_import_checkpoint.hpp"
#include "workflows/lead_import_chunk.hpp"

namespace instantly::workflows::detail {

class ImportTally {
 public:
  ImportTally(const LeadImportOptions& options, Checkpoint* checkpoint, std::optional<std::uint64_t> total);

  /// Accounts a chunk's records. `restored` chunks came from the checkpoint.
  void add(std::uint64_t chunk, ChunkOutcome outcome, bool restored);

  /// Why chunks should no longer be sent (401/402/403, a failed checkpoint
  /// write, a throwing callback); empty while all is well.
  std::string stop_reason() const;

  /// The finished report (outcomes sorted). Rethrows a callback's or the
  /// checkpoint's exception, which stopped the import.
  ImportReport finish(std::uint64_t total_seen, bool cancelled);

 private:
  void fail(std::exception_ptr error, std::string reason);
  ImportProgress progress() const;

  const LeadImportOptions& options_;
  Checkpoint* checkpoint_;
  std::optional<std::uint64_t> total_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  mutable std::mutex mutex_;
  ImportReport report_;
  std::uint64_t done_ = 0;
  std::string stop_reason_;
  std::exception_ptr error_;
};

}  // namespace instantly::workflows::detail
