// The lock-free half of POST /api/v2/leads/add: everything that depends on the
// request alone, done before the state lock is taken (see Preparer in
// router.hpp). For a 1,000-lead call that is most of the work: checking and
// lower-casing emails, finding repeats within the payload, and building each
// lead record and its created_leads entry. The locked half (lead_bulk_add.cpp)
// then only looks leads up, stamps ids and stores them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "call.hpp"
#include "handlers/lead_records.hpp"

namespace instantly::mock::leads {

/// A lead that passed every check the request alone can make.
struct DraftLead {
  std::size_t index = 0;  ///< position in the request's `leads`
  std::string email_key;  ///< lower-cased email; "" for a list lead known only by name or phone
  Json record;            ///< make_lead_draft(): stamp_lead() fills id, timestamps, organization
  Json created_entry;     ///< its `created_leads` entry; the id (member 1) is set once stamped
};

struct BulkAddDraft {
  LeadScope scope;  ///< ids as sent; whether they exist is checked under the lock
  std::int64_t incomplete = 0;
  std::int64_t invalid_email = 0;
  std::int64_t duplicate_email = 0;  ///< repeats of an email earlier in the payload
  std::vector<DraftLead> candidates;
};

/// Sorts a validated /leads/add body's leads into the three payload-only
/// categories and the candidates, moving each candidate's fields out of the
/// body's `leads` (the array keeps its size). Throws HttpError (400) unless
/// exactly one of campaign_id and list_id is given.
BulkAddDraft draft_bulk_add(Call& call);

/// Where created_entry keeps the lead id.
inline constexpr std::size_t kCreatedEntryIdMember = 1;

}  // namespace instantly::mock::leads
