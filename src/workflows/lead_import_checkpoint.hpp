// The resumable record of an import: which chunks finished and what became of
// each of their leads.
//
// Text, append-only, one record per line, fields separated by tabs:
//   instantly-lead-import\t1\t<campaign|list>\t<target id>\t<chunk size>     header, once
//   lead\t<chunk>\t<index>\t<outcome>\t<after_retry 0|1>\t<status>\t<lead id>\t<reason>
//   chunk\t<chunk>\t<lead count>\t<input fingerprint, 16 hex digits>       end of a chunk
// A chunk counts as finished only once its `chunk` line is there, so a run
// killed halfway through a write re-sends that chunk instead of trusting half
// of it. Each chunk is flushed and fsync'ed before the next one is written.
// The fingerprint hashes the chunk's input leads: a rerun over a different
// file re-sends a chunk whose leads changed instead of reporting them as done
// (files written before it had one have 3-field chunk lines, trusted as ever).
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

  /// Removes and returns the records of a finished chunk, or null when it did not
  /// finish or was recorded for other input leads (another fingerprint).
  std::optional<std::vector<LeadRecord>> take(std::uint64_t chunk, std::uint64_t fingerprint);

  /// Appends a finished chunk and syncs it to disk. Thread-safe. Throws instantly::Error on I/O failure.
  void record(std::uint64_t chunk, std::uint64_t fingerprint, const std::vector<LeadRecord>& records);

 private:
  void load(const std::filesystem::path& path, const std::string& header);

  std::FILE* file_ = nullptr;
  std::mutex mutex_;
  struct FinishedChunk {
    std::vector<LeadRecord> records;
    std::optional<std::uint64_t> fingerprint;  ///< none in files written before there was one
  };
  std::unordered_map<std::uint64_t, FinishedChunk> finished_;
};

}  // namespace instantly::workflows::detail
