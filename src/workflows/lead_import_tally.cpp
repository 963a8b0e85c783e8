#include "workflows/lead_import_tally.hpp"

#include <algorithm>
#include <utility>

namespace instantly::workflows::detail {

ImportTally::ImportTally(const LeadImportOptions& options, Checkpoint* checkpoint, std::optional<std::uint64_t> total)
    : options_(options), checkpoint_(checkpoint), total_(total) {}

void ImportTally::fail(std::exception_ptr error, std::string reason) {
  if (!error_) error_ = std::move(error);
  if (stop_reason_.empty()) stop_reason_ = std::move(reason);
}

void ImportTally::add(std::uint64_t chunk, ChunkOutcome outcome, bool restored) {
  std::lock_guard lock(mutex_);
  if (outcome.finished && !restored && checkpoint_ && !error_) {
    try {
      checkpoint_->record(chunk, outcome.fingerprint, outcome.records);
    } catch (...) {
      fail(std::current_exception(), "the checkpoint could not be written");
    }
  }
  if (!outcome.stop_reason.empty() && stop_reason_.empty()) stop_reason_ = outcome.stop_reason;
  report_.requests += outcome.requests;
  if (outcome.sends > 0) ++report_.chunks;
  if (restored) ++report_.chunks_restored;
  done_ += outcome.records.size();
  // A throwing callback stops the import (run() rethrows it) but never the
  // counting: the report still adds up for whoever catches.
  auto call = [this](auto&& callback) {
    if (error_) return;
    try {
      callback();
    } catch (...) {
      fail(std::current_exception(), "a callback threw");
    }
  };
  for (LeadRecord& record : outcome.records) {
    ++report_.counts[static_cast<std::size_t>(record.outcome)];
    if (options_.on_outcome) call([&] { options_.on_outcome(record); });
    if (options_.keep_outcomes) report_.outcomes.push_back(std::move(record));
  }
  if (options_.on_progress) call([&] { options_.on_progress(progress()); });
}

ImportProgress ImportTally::progress() const {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  ImportProgress progress{.done = done_, .total = total_.value_or(0)};
  progress.leads_per_second = seconds > 0 ? static_cast<double>(done_) / seconds : 0;
  if (progress.total > done_ && progress.leads_per_second > 0) {
    progress.eta = std::chrono::seconds(
        static_cast<long long>(static_cast<double>(progress.total - done_) / progress.leads_per_second));
  }
  return progress;
}

std::string ImportTally::stop_reason() const {
  std::lock_guard lock(mutex_);
  return stop_reason_;
}

ImportReport ImportTally::finish(std::uint64_t total_seen, bool cancelled) {
  std::lock_guard lock(mutex_);
  if (error_) std::rethrow_exception(error_);
  ImportReport report = std::move(report_);
  report.total = total_seen;
  report.cancelled = cancelled;
  report.stop_reason = stop_reason_;
  report.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_);
  std::sort(report.outcomes.begin(), report.outcomes.end(),
            [](const LeadRecord& a, const LeadRecord& b) { return a.index < b.index; });
  return report;
}

}  // namespace instantly::workflows::detail
