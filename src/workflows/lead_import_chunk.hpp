// Sending one chunk: the request, the re-send rule for ambiguous failures,
// and the outcome of every lead of the chunk whatever happened.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "instantly/client.hpp"
#include "instantly/models/lead.hpp"
#include "instantly/workflows/lead_import.hpp"

namespace instantly::workflows::detail {

/// The fingerprint of a chunk with no leads yet: FNV-1a's offset basis.
inline constexpr std::uint64_t kEmptyFingerprint = 14695981039346656037ull;

struct ChunkJob {
  std::uint64_t chunk = 0;
  /// Leads of the chunk decided before sending (rejected, duplicate in the input).
  std::vector<LeadRecord> settled;
  /// Input positions of `leads`, in the same order.
  std::vector<std::uint64_t> indexes;
  std::vector<LeadAddParamsLead> leads;
  /// Hash of the chunk's input leads (fingerprint_lead), so that a checkpoint
  /// recorded for other input is not taken for this chunk's.
  std::uint64_t fingerprint = kEmptyFingerprint;
};

struct ChunkOutcome {
  /// Every lead of the chunk, exactly once.
  std::vector<LeadRecord> records;
  /// The API answered (or nothing needed sending): safe to record in the checkpoint.
  bool finished = false;
  std::uint64_t sends = 0;     ///< `/leads/add` calls
  std::uint64_t requests = 0;  ///< all calls, lookups included
  /// The job's fingerprint, for the checkpoint.
  std::uint64_t fingerprint = kEmptyFingerprint;
  /// Non-empty when the failure must stop the whole import (401/402/403).
  std::string stop_reason;
};

/// Sends the chunk (re-sending as the retry rule allows). Never throws for
/// API or connection failures: they become Failed records.
ChunkOutcome run_chunk(const Client& client, const LeadImportOptions& options, ChunkJob job);

/// The chunk is not sent: its unsettled leads become NotAttempted with `reason`.
ChunkOutcome skip_chunk(ChunkJob job, const std::string& reason);

/// `hash` with the lead at input `position` mixed in (FNV-1a over the position and the
/// fields that tell one lead from another): a chunk's fingerprint, from kEmptyFingerprint.
std::uint64_t fingerprint_lead(std::uint64_t hash, std::uint64_t position, const LeadAddParamsLead& lead);

}  // namespace instantly::workflows::detail
