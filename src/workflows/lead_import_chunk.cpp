#include "workflows/lead_import_chunk.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "instantly/error.hpp"
#include "instantly/resources/leads.hpp"
#include "text/ascii.hpp"
#include "workflows/client_clock.hpp"
#include "workflows/lead_import_attribution.hpp"
#include "workflows/lead_import_validation.hpp"

namespace instantly::workflows::detail {

namespace {

enum class FailureKind {
  NotSent,     ///< surely not applied (429 after the core's retries, connect failure): re-send anywhere
  Ambiguous,   ///< may have been applied (5xx, 408, timeout, dropped or cut-off answer)
  Final,       ///< the API refused the chunk (400, 404, ...): re-sending cannot help
  StopImport,  ///< 401/402/403: no later chunk can succeed either
};

struct Failure {
  FailureKind kind = FailureKind::Final;
  std::string message;
  int status = 0;
};

Failure classify(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const RateLimitError& e) {
    return {FailureKind::NotSent, e.what(), e.status()};
  } catch (const ApiError& e) {
    int s = e.status();
    if (s == 401 || s == 402 || s == 403) return {FailureKind::StopImport, e.what(), s};
    if (s == 408 || s >= 500) return {FailureKind::Ambiguous, e.what(), s};
    return {FailureKind::Final, e.what(), s};
  } catch (const ApiConnectionError& e) {
    return {e.request_never_sent() ? FailureKind::NotSent : FailureKind::Ambiguous, e.what(), 0};
  } catch (const DecodeError& e) {
    // A body cut off mid-way: the server did the work, we cannot read what it did.
    return {FailureKind::Ambiguous, std::string("unreadable answer: ") + e.what(), 0};
  } catch (const std::exception& e) {
    return {FailureKind::Final, e.what(), 0};
  }
}

// Stable words for a failure, as WorkflowEvent::reason (a metric label, so no message text).
std::string_view failure_label(FailureKind kind) {
  switch (kind) {
    case FailureKind::NotSent: return "not_sent";
    case FailureKind::Ambiguous: return "ambiguous";
    case FailureKind::Final: return "refused";
    case FailureKind::StopImport: return "not_authorized";
  }
  return "unknown";
}

// Reports one action on a chunk through the client's observer seam; costs nothing unobserved.
void report_chunk(const Client& client, std::string_view action, std::string_view reason, std::size_t leads,
                  Clock::duration took = {}) {
  if (!client.observed()) return;
  client.notify({.workflow = "lead_import",
                 .action = action,
                 .reason = reason,
                 .items = leads,
                 .duration = std::chrono::duration_cast<std::chrono::nanoseconds>(took)});
}

LeadAddParams request_for(const LeadImportOptions& options, std::vector<LeadAddParamsLead> leads) {
  LeadAddParams params;
  params.campaign_id = options.campaign_id;
  params.list_id = options.list_id;
  params.leads = std::move(leads);
  if (options.blocklist_id) params.blocklist_id = *options.blocklist_id;
  params.assigned_to = options.assigned_to;
  params.verify_leads_on_import = options.verify_leads_on_import;
  params.skip_if_in_workspace = options.skip_if_in_workspace;
  params.skip_if_in_campaign = options.skip_if_in_campaign;
  params.skip_if_in_list = options.skip_if_in_list;
  return params;
}

/// Emails of the target that are among `emails`, with their lead ids.
ContactLookup lookup_in_target(const Client& client, const LeadImportOptions& options, std::uint64_t& requests) {
  return [&client, &options, &requests](const std::vector<std::string>& emails)
             -> std::optional<std::unordered_map<std::string, std::string>> {
    LeadListParams params;
    if (options.campaign_id) params.campaign = *options.campaign_id;
    if (options.list_id) params.list_id = *options.list_id;
    params.contacts = emails;
    params.limit = 100;
    std::unordered_map<std::string, std::string> found;
    try {
      for (const Page<Lead>& page : client.leads().list(std::move(params)).pages()) {
        ++requests;
        for (const Lead& lead : page.items) {
          if (lead.email.has_value()) found.emplace(ascii::lower(*lead.email), lead.id);
        }
      }
    } catch (const Error&) {
      ++requests;
      return std::nullopt;
    }
    return found;
  };
}

void append_all(std::vector<LeadRecord>& into, std::vector<LeadRecord>&& from) {
  into.insert(into.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

ChunkOutcome run_chunk(const Client& client, const LeadImportOptions& options, ChunkJob job) {
  ChunkOutcome outcome;
  outcome.fingerprint = job.fingerprint;
  outcome.records = std::move(job.settled);
  if (job.leads.empty()) {
    outcome.finished = true;
    return outcome;
  }

  std::vector<SentLead> sent;
  sent.reserve(job.leads.size());
  for (std::size_t i = 0; i < job.leads.size(); ++i) {
    const LeadAddParamsLead& lead = job.leads[i];
    sent.push_back({job.indexes[i], lead.email.has_value() ? *lead.email : std::string()});
  }

  const bool campaign = options.campaign_id.has_value();
  const LeadAddParams params = request_for(options, std::move(job.leads));
  // Not idempotent for the core: it must not repeat an ambiguous POST on its
  // own, or a duplicate reported on the repeat could not be marked after_retry.
  // A stop ends every wait, but a chunk already on the wire is let finish, so
  // that what it did is known and reported.
  const RequestOptions request_options{.idempotent = false, .stop = options.stop, .finish_transfer_on_stop = true};
  Clock& clock = clock_of(client);

  bool after_retry = false;
  bool stopped = false;
  std::optional<Failure> failure;
  auto backoff = options.chunk_retry_backoff;
  const bool observed = client.observed();
  for (int attempt = 1;; ++attempt) {
    const Clock::time_point started = observed ? clock.now() : Clock::time_point{};
    try {
      LeadAddResult result = client.leads().add(params, request_options);
      ++outcome.sends;
      ++outcome.requests;
      if (observed) report_chunk(client, "chunk_sent", {}, sent.size(), clock.now() - started);
      AttributionContext context{.campaign_target = campaign,
                                 .after_retry = after_retry,
                                 .lookup = lookup_in_target(client, options, outcome.requests)};
      append_all(outcome.records, attribute(result, sent, context));
      outcome.finished = true;
      return outcome;
    } catch (const CancelledError& e) {
      // Stopped before this send went out, or while the core waited out a 429 or a failed
      // connection: either way this send applied nothing.
      if (e.attempts() > 0) {
        ++outcome.sends;
        ++outcome.requests;
      }
      stopped = true;
      break;
    } catch (...) {
      ++outcome.sends;
      ++outcome.requests;
      failure = classify(std::current_exception());
    }
    bool resendable = failure->kind == FailureKind::NotSent || (failure->kind == FailureKind::Ambiguous && campaign);
    if (!resendable || attempt >= options.max_chunk_attempts) break;
    if (failure->kind == FailureKind::Ambiguous) after_retry = true;
    report_chunk(client, "chunk_retried", failure_label(failure->kind), sent.size());
    if (!clock.wait_until(clock.now() + backoff, options.stop)) {
      stopped = true;
      break;
    }
    backoff *= 2;
  }

  // Stopped with nothing applied (or only sends that surely applied nothing): not attempted, so
  // a resumed import sends the chunk again.
  if (stopped && (!failure || failure->kind == FailureKind::NotSent)) {
    std::string reason = "import stopped before the chunk was sent";
    if (failure) reason += " again (the earlier send was not applied: " + failure->message + ")";
    for (const SentLead& lead : sent) {
      outcome.records.push_back({.index = lead.index, .outcome = LeadOutcome::NotAttempted, .reason = reason});
    }
    return outcome;
  }

  if (failure->kind == FailureKind::StopImport) outcome.stop_reason = failure->message;
  report_chunk(client, "chunk_failed", failure_label(failure->kind), sent.size());
  std::string reason = failure->message;
  if (failure->kind == FailureKind::Ambiguous) {
    if (stopped) {
      reason += " (import stopped before re-sending; the chunk may have been partly applied)";
    } else {
      reason += campaign ? " (attempts exhausted; the chunk may have been partly applied)"
                         : " (not re-sent into a list: the chunk may have been partly applied)";
    }
  }
  for (const SentLead& lead : sent) {
    outcome.records.push_back({.index = lead.index,
                               .outcome = LeadOutcome::Failed,
                               .status = static_cast<std::int16_t>(failure->status),
                               .reason = reason});
  }
  return outcome;
}

ChunkOutcome skip_chunk(ChunkJob job, const std::string& reason) {
  ChunkOutcome outcome;
  outcome.fingerprint = job.fingerprint;
  outcome.records = std::move(job.settled);
  for (std::uint64_t index : job.indexes) {
    outcome.records.push_back({.index = index, .outcome = LeadOutcome::NotAttempted, .reason = reason});
  }
  return outcome;
}

std::uint64_t fingerprint_lead(std::uint64_t hash, std::uint64_t position, const LeadAddParamsLead& lead) {
  constexpr std::uint64_t kPrime = 1099511628211ull;
  auto mix_byte = [&hash](unsigned char byte) {
    hash ^= byte;
    hash *= kPrime;
  };
  auto mix = [&](std::string_view bytes) {
    for (char c : bytes) mix_byte(static_cast<unsigned char>(c));
    mix_byte(0xff);  // a field separator no UTF-8 text contains, so "ab"+"c" differs from "a"+"bc"
  };
  for (int shift = 0; shift < 64; shift += 8) mix_byte(static_cast<unsigned char>(position >> shift));
  for (const Nullable<std::string>* field : {&lead.email, &lead.first_name, &lead.last_name, &lead.company_name,
                                             &lead.website, &lead.phone}) {
    mix(field->has_value() ? std::string_view(**field) : std::string_view());
  }
  return hash;
}

}  // namespace instantly::workflows::detail
