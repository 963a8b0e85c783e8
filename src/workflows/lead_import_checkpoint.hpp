// The resumable record of an import: which chunks finished and what became of
// each of their leads.
//
// Text, append-only, one record per line, fields separated by tabs:
//   instantly-lead-import\t1\t<campaign|list>\t<target id>\t<chunk size>     header, once
//   lead\t<chunk>\t<index>\t<outcome>\t<after_retry 0|1>\t<status>\t<lead id>\t<reason>
//   chunk\t<chunk>\t<lead count>                                            end of a chunk
// A chunk counts as finished only once its `chunk` line is there, so a run
// killed halfway through a write re-sends that chunk instead of trusting half
// of it. Each chunk is flushed and fsync'ed before the next one is written.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "instantly/workflows/lead_import.hpp"

namespace instantly::workflows::detail {

class Checkpoint {
 public:
  /// Opens (or creates) the file and loads its finished chunks. Throws
  /// ValidationError when it was written for another target or chunk size,
  /// instantly::Error when it cannot be read, written or parsed.
  Checkpoint(const std::filesystem::path& path, std::string target_kind, std::string target_id,
             std::uint64_t chunk_size);
  ~Checkpoint();
  Checkpoint(const Checkpoint&) = delete;
  Checkpoint& operator=(const Checkpoint&) = delete;

  /// Removes and returns the records of a finished chunk, or null when it did not finish.
  std::optional<std::vector<LeadRecord>> take(std::uint64_t chunk);

  /// Appends a finished chunk and syncs it to disk. Thread-safe. Throws instantly::Error on I/O failure.
  void record(std::uint64_t chunk, const std::vector<LeadRecord>& records);

 private:
  void load(const std::filesystem::path& path, const std::string& header);

  std::FILE* file_ = nullptr;
  std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::vector<LeadRecord>> finished_;
};

}  // namespace instantly::workflows::detail
