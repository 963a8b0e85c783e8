// LeadImporter: reads the input on the calling thread (validation, duplicate
// detection, chunking on raw positions) and hands chunks to a small pool of
// sender threads through a bounded queue.
#include "instantly/workflows/lead_import.hpp"

#include <algorithm>
#include <memory>
#include <thread>
#include <utility>

#include "instantly/error.hpp"
#include "workflows/hash_set64.hpp"
#include "workflows/lead_import_checkpoint.hpp"
#include "workflows/lead_import_chunk.hpp"
#include "workflows/lead_import_queue.hpp"
#include "workflows/lead_import_tally.hpp"
#include "workflows/lead_import_validation.hpp"

namespace instantly::workflows {

namespace {

constexpr std::size_t kMaxChunkSize = 1000;
constexpr int kMaxConcurrency = 64;

void check_options(const LeadImportOptions& o) {
  bool campaign = o.campaign_id.has_value(), list = o.list_id.has_value();
  if (campaign == list) throw ValidationError("lead import: set exactly one of campaign_id and list_id");
  if ((campaign && o.campaign_id->empty()) || (list && o.list_id->empty())) {
    throw ValidationError("lead import: the target id is empty");
  }
  if (o.chunk_size < 1 || o.chunk_size > kMaxChunkSize) {
    throw ValidationError("lead import: chunk_size must be 1..1000 (the API's limit per call)");
  }
  if (o.concurrency < 1 || o.concurrency > kMaxConcurrency) {
    throw ValidationError("lead import: concurrency must be 1..64");
  }
  if (o.max_chunk_attempts < 1) throw ValidationError("lead import: max_chunk_attempts must be at least 1");
}

/// A checkpointed chunk is trusted only if it covers exactly the positions
/// this input has for it; otherwise the input changed and the chunk is re-sent.
bool covers(const std::vector<LeadRecord>& records, const detail::ChunkJob& job) {
  if (records.size() != job.settled.size() + job.indexes.size()) return false;
  std::vector<std::uint64_t> expected = job.indexes, got;
  for (const LeadRecord& r : job.settled) expected.push_back(r.index);
  for (const LeadRecord& r : records) got.push_back(r.index);
  std::sort(expected.begin(), expected.end());
  std::sort(got.begin(), got.end());
  return expected == got;
}

/// Closes the queue when run_source leaves, normally or by an exception from
/// the input, so the senders drain and the threads can be joined.
struct CloseOnExit {
  detail::ChunkQueue& queue;
  ~CloseOnExit() { queue.close(); }
};

}  // namespace

LeadImporter::LeadImporter(Client client, LeadImportOptions options)
    : client_(std::move(client)), options_(std::move(options)) {
  check_options(options_);
}

ImportReport LeadImporter::run_source(const LeadSource& next, std::optional<std::uint64_t> total) {
  return run_converting_source(
      [&next](LeadAddParamsLead& lead, std::optional<std::string>&) { return next(lead); }, total);
}

ImportReport LeadImporter::run_converting_source(const ConvertingLeadSource& next,
                                                 std::optional<std::uint64_t> total) {
  const bool campaign = options_.campaign_id.has_value();
  std::unique_ptr<detail::Checkpoint> checkpoint;
  if (options_.checkpoint_path) {
    checkpoint = std::make_unique<detail::Checkpoint>(*options_.checkpoint_path, campaign ? "campaign" : "list",
                                                      campaign ? *options_.campaign_id : *options_.list_id,
                                                      options_.chunk_size);
  }
  detail::ImportTally tally(options_, checkpoint.get(), total ? total : options_.total);
  detail::ValidationLimits limits{.max_name = options_.max_custom_variable_name,
                                  .max_value = options_.max_custom_variable_value,
                                  .campaign_target = campaign};

  auto concurrency = static_cast<std::size_t>(options_.concurrency);
  detail::ChunkQueue queue(concurrency);
  std::uint64_t position = 0;
  {
    std::vector<std::jthread> senders;
    CloseOnExit close_on_exit{queue};
    for (std::size_t i = 0; i < concurrency; ++i) {
      senders.emplace_back([this, &queue, &tally] {
        while (std::optional<detail::ChunkJob> job = queue.pop()) {
          std::uint64_t chunk = job->chunk;
          if (options_.stop.stop_requested()) {
            tally.add(chunk, detail::skip_chunk(std::move(*job), "cancelled before its chunk was sent"), false);
          } else if (std::string stop = tally.stop_reason(); !stop.empty()) {
            tally.add(chunk, detail::skip_chunk(std::move(*job), "import stopped: " + stop), false);
          } else {
            tally.add(chunk, detail::run_chunk(client_, options_, std::move(*job)), false);
          }
        }
      });
    }

    // One 64-bit hash a distinct email; see email_key for why hashes suffice.
    detail::HashSet64 seen_emails;
    detail::ChunkJob current;
    auto hand_off = [&] {
      if (current.settled.empty() && current.indexes.empty()) return;
      if (checkpoint) {
        if (auto restored = checkpoint->take(current.chunk, current.fingerprint);
            restored && covers(*restored, current)) {
          tally.add(current.chunk, {.records = std::move(*restored), .finished = true}, true);
          return;
        }
      }
      queue.push(std::move(current));
    };

    LeadAddParamsLead lead;
    std::optional<std::string> rejection;
    while (true) {
      lead = LeadAddParamsLead{};
      rejection.reset();
      if (!next(lead, rejection)) break;
      std::uint64_t chunk = position / options_.chunk_size;
      if (chunk != current.chunk) {
        hand_off();
        current = detail::ChunkJob{.chunk = chunk};
      }
      current.fingerprint = detail::fingerprint_lead(current.fingerprint, position, lead);
      if (rejection) {
        current.settled.push_back({.index = position, .outcome = LeadOutcome::RejectedClientSide, .reason = *rejection});
      } else if (std::optional<std::string> why = detail::rejection_reason(lead, limits)) {
        current.settled.push_back({.index = position, .outcome = LeadOutcome::RejectedClientSide, .reason = *why});
      } else if (lead.email.has_value() && !lead.email->empty() &&
                 !seen_emails.insert(detail::email_key(*lead.email))) {
        current.settled.push_back({.index = position,
                                   .outcome = LeadOutcome::DuplicateInPayload,
                                   .reason = "the same email appeared earlier in the input"});
      } else {
        current.indexes.push_back(position);
        current.leads.push_back(std::move(lead));
      }
      ++position;
    }
    hand_off();
  }  // closes the queue, then joins the senders
  return tally.finish(position, options_.stop.stop_requested());
}

}  // namespace instantly::workflows
