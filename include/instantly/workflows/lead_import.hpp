// Bulk-adding leads to a campaign or a lead list, with every input lead
// accounted for exactly once: uploaded (with its id), rejected (and why), or
// failed (with the error), never silently dropped.
//
//   instantly::workflows::LeadImporter importer(client, {.campaign_id = id, .checkpoint_path = "import.ckpt"});
//   instantly::workflows::ImportReport report = importer.run(leads);   // any input range of LeadAddParamsLead
//   ... = importer.run(businesses);                                     // or of Business rows (to_lead)
//   report.count(LeadOutcome::Uploaded); report.outcomes[i].lead_id;
//
// Why a workflow and not a loop over `client.leads().add`: `POST /leads/add`
// answers a 1,000-lead chunk with counts per category and the ids of the
// created leads only, a retried chunk may have been applied already, and a
// million-lead import must survive a crash without sending anything twice.
//
// Chunks are cut on raw input positions (chunk i = inputs [i*size, (i+1)*size))
// so that a resumed run, reading the same input, sees the same chunks; leads
// rejected client-side simply leave holes in their chunk.
//
// Attribution of the leads a chunk did not create (the API only gives counts):
//   one non-zero category        → every non-created lead gets it;
//   several, duplicated_leads > 0 → the non-created emails are looked up in the
//                                   target (`POST /leads/list` with `contacts`);
//                                   the ones found are duplicates (with their
//                                   id) when their number matches the count,
//                                   and the rest get the remaining category if
//                                   exactly one is left;
//   otherwise                    → NotUploaded, reason naming the candidates.
//
// Retries: the client core retries 429 and never-connected requests itself
// (the importer sends `/leads/add` as not idempotent so the core does not
// repeat an ambiguous POST behind its back). A chunk that failed ambiguously
// (5xx, 408, timeout, dropped connection, cut-off body) is re-sent, up to
// `max_chunk_attempts`, only into a campaign: there the API reports already
// present leads as duplicates instead of adding them again, and those are
// marked `after_retry` because the failed attempt may have created them.
// Into a list, or once attempts run out, every lead of the chunk is Failed.
// (The transport never repeats such a request by itself: it is marked not
// replayable and goes out on a fresh connection, see HttpRequest::replayable.)
// 400/404 fail the chunk; 401/402/403 also stop the import (chunks not yet
// started become NotAttempted).
//
// Memory: the input is read as a stream; at most about `2 * concurrency`
// chunks of lead bodies are alive at once. What grows with the input is one
// 64-bit hash per distinct email in a flat table (duplicate detection across
// the whole import: 11 to 21 bytes per email) and, unless `keep_outcomes` is
// false, one small LeadRecord per input lead (about 80 bytes plus the lead
// id's heap block). With `keep_outcomes = false` outcomes only stream through
// `on_outcome` and the report keeps counts. bench/import_memory measures it.
//
// Thread-safety: `run` starts `concurrency` worker threads and returns when
// they are done; the callbacks are never called concurrently (one chunk at a
// time, in completion order, not input order). One LeadImporter must not run
// twice at once; separate importers may share a Client.
//
// Errors: the constructor and `run` throw ValidationError for a bad target
// (none or both of campaign_id / list_id), bad options, or a checkpoint
// written for another target or chunk size, before anything is sent; `run`
// throws instantly::Error when the checkpoint file cannot be read or written.
// API failures never throw out of `run`: they end up in the report.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <ranges>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/client.hpp"
#include "instantly/error.hpp"
#include "instantly/models/lead.hpp"
#include "instantly/workflows/business_lead.hpp"

namespace instantly::workflows {

/// What happened to one input lead.
enum class LeadOutcome : std::uint8_t {
  Uploaded,             ///< created; `lead_id` is set
  DuplicateInCampaign,  ///< already in the target campaign (the API did not add it again)
  DuplicateInList,      ///< already in the target list
  DuplicateInPayload,   ///< the same email (any case) appeared earlier in this import
  Blocklisted,          ///< the email or its domain is on the block list
  InvalidEmail,         ///< the API judged the email invalid
  Incomplete,           ///< the API judged the lead incomplete (no email for a campaign)
  SkippedByFlags,       ///< a skip_if_in_* option matched
  RejectedClientSide,   ///< failed validation here, never sent; `reason` names the field
  NotUploaded,          ///< not created, and the API's counts cannot say why
  Failed,               ///< its chunk failed; `reason` holds the error
  NotAttempted,         ///< cancelled or stopped before its chunk was sent
};
inline constexpr std::size_t kLeadOutcomeCount = 12;

/// "uploaded", "duplicate_in_campaign", ... (stable strings for logs and checkpoints).
std::string_view to_string(LeadOutcome outcome) noexcept;
/// The inverse of to_string; empty for an unknown name.
std::optional<LeadOutcome> lead_outcome_from_string(std::string_view name) noexcept;

/// The outcome of one input lead.
struct LeadRecord {
  std::uint64_t index = 0;  ///< position in the input, from 0
  LeadOutcome outcome = LeadOutcome::NotAttempted;
  /// A duplicate reported on a re-sent chunk: the failed attempt may have
  /// created it, so it may well be "ours" (its id is filled in when the
  /// lookup finds it).
  bool after_retry = false;
  std::int16_t status = 0;  ///< HTTP status of a Failed chunk; 0 when there was none
  std::string lead_id;      ///< set for Uploaded (and duplicates found by lookup)
  std::string reason;       ///< why, for everything but Uploaded; empty otherwise

  friend bool operator==(const LeadRecord&, const LeadRecord&) = default;
};

struct ImportProgress {
  std::uint64_t done = 0;          ///< leads accounted for so far
  std::uint64_t total = 0;         ///< 0 when the input's size is unknown
  double leads_per_second = 0;     ///< since the run started
  std::chrono::seconds eta{0};     ///< 0 when unknown
};

struct LeadImportOptions {
  /// Exactly one of the two is required.
  std::optional<std::string> campaign_id;
  std::optional<std::string> list_id;

  // Passed through to every `POST /leads/add`.
  std::optional<bool> skip_if_in_workspace;
  std::optional<bool> skip_if_in_campaign;
  std::optional<bool> skip_if_in_list;
  std::optional<std::string> blocklist_id;
  std::optional<bool> verify_leads_on_import;
  std::optional<std::string> assigned_to;

  std::size_t chunk_size = 1000;  ///< 1..1000, the API's limit per call
  int concurrency = 4;            ///< chunks in flight; the client's rate limiter still applies
  int max_chunk_attempts = 3;     ///< sends per chunk (re-sends after ambiguous failures: campaigns only)
  /// Wait before the first re-send of a chunk; doubles for each further one.
  std::chrono::milliseconds chunk_retry_backoff{1000};

  // Client-side validation: the API's undocumented limits (api-facts.md).
  std::size_t max_custom_variable_name = 100;
  std::size_t max_custom_variable_value = 1000;

  /// The input's size, for progress and ETA when the range is not sized.
  std::optional<std::uint64_t> total;
  /// Called after each chunk.
  std::function<void(const ImportProgress&)> on_progress;
  /// Called with the outcomes of each finished chunk (also restored ones).
  std::function<void(const LeadRecord&)> on_outcome;
  /// Keep every LeadRecord in the report; false keeps counts only.
  bool keep_outcomes = true;
  /// Stops sending: chunks not yet started become NotAttempted, chunks in
  /// flight finish and are accounted. The rest of the input is still read
  /// (not sent) so that every lead appears in the report.
  std::stop_token stop;
  /// Append-only record of finished chunks; a rerun with the same input and
  /// file sends only the chunks not recorded there. Empty = no checkpoint.
  std::optional<std::filesystem::path> checkpoint_path;
};

struct ImportReport {
  std::uint64_t total = 0;  ///< input leads seen
  std::array<std::uint64_t, kLeadOutcomeCount> counts{};
  /// Sorted by index; every input index exactly once (when keep_outcomes).
  std::vector<LeadRecord> outcomes;
  std::uint64_t chunks = 0;           ///< chunks sent (at least once) in this run
  std::uint64_t chunks_restored = 0;  ///< chunks taken from the checkpoint, not sent
  std::uint64_t requests = 0;         ///< HTTP calls the importer made (core retries not counted)
  std::chrono::milliseconds elapsed{0};
  bool cancelled = false;
  /// Why the import stopped early (401/402/403); empty otherwise.
  std::string stop_reason;

  std::uint64_t count(LeadOutcome outcome) const noexcept { return counts[static_cast<std::size_t>(outcome)]; }
  /// No lead Failed, NotAttempted or NotUploaded (rejections and duplicates are fine).
  bool ok() const noexcept;
  /// The counts add up to `total` and, when outcomes are kept, each index
  /// 0..total-1 appears exactly once.
  bool accounts_for_every_lead() const;
  /// The record of input `index`, or null (binary search; needs keep_outcomes).
  const LeadRecord* find(std::uint64_t index) const;
};

/// Pull-style source: fills `lead` and returns true, or returns false at the end.
using LeadSource = std::function<bool(LeadAddParamsLead& lead)>;
/// Like LeadSource, for inputs that are converted on the way (business rows):
/// an input that cannot become a lead sets `rejection` (why) instead of
/// filling `lead`, and is reported RejectedClientSide at its position.
using ConvertingLeadSource = std::function<bool(LeadAddParamsLead& lead, std::optional<std::string>& rejection)>;

class LeadImporter {
 public:
  /// Throws ValidationError for a bad target or options (see the file comment).
  LeadImporter(Client client, LeadImportOptions options);

  /// Imports every lead of `leads`, read once, front to back.
  template <std::ranges::input_range R>
    requires std::convertible_to<std::ranges::range_reference_t<R>, LeadAddParamsLead>
  ImportReport run(R&& leads) {
    std::optional<std::uint64_t> size = options_.total;
    if constexpr (std::ranges::sized_range<R>) size = static_cast<std::uint64_t>(std::ranges::size(leads));
    auto it = std::ranges::begin(leads);
    auto end = std::ranges::end(leads);
    return run_source(
        [&it, &end](LeadAddParamsLead& out) {
          if (it == end) return false;
          out = *it;
          ++it;
          return true;
        },
        size);
  }

  /// Imports business records (Google-Maps rows), each mapped with to_lead
  /// (business_lead.hpp); a record that cannot be mapped (no name or email)
  /// is RejectedClientSide with the mapping's message, and the rest go on.
  template <std::ranges::input_range R>
    requires std::convertible_to<std::ranges::range_reference_t<R>, const Business&>
  ImportReport run(R&& businesses, const BusinessLeadOptions& mapping = {}) {
    std::optional<std::uint64_t> size = options_.total;
    if constexpr (std::ranges::sized_range<R>) size = static_cast<std::uint64_t>(std::ranges::size(businesses));
    auto it = std::ranges::begin(businesses);
    auto end = std::ranges::end(businesses);
    return run_converting_source(
        [&it, &end, &mapping](LeadAddParamsLead& out, std::optional<std::string>& rejection) {
          if (it == end) return false;
          try {
            out = to_lead(*it, mapping);
          } catch (const ValidationError& e) {
            rejection = e.what();
          }
          ++it;
          return true;
        },
        size);
  }

  ImportReport run_source(const LeadSource& next, std::optional<std::uint64_t> total = std::nullopt);
  ImportReport run_converting_source(const ConvertingLeadSource& next,
                                     std::optional<std::uint64_t> total = std::nullopt);

  const LeadImportOptions& options() const noexcept { return options_; }

 private:
  Client client_;
  LeadImportOptions options_;
};

}  // namespace instantly::workflows
