// The generated model decoders, on the API's answers as the client gets them.
//
// The first input byte picks a model (or a page of one) from the table below;
// the rest is the JSON text. A decoded model must survive a round trip:
// from_json(to_json()) gives an equal object (models have operator==), or the
// SDK would change data it only read and wrote back. A mismatch aborts.
//
// The table holds representative models of every family (the ones the
// resources answer with, plus a few request params and nested types), not
// all ~500: the codecs of one family share their generated helpers.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "instantly/models.hpp"
#include "instantly/page.hpp"
// Page<T> decoding is instantiated in the family codec sources and declared here.
#include "generated/codecs/account_wire.hpp"
#include "generated/codecs/background_job_wire.hpp"
#include "generated/codecs/campaign_wire.hpp"
#include "generated/codecs/email_wire.hpp"
#include "generated/codecs/lead_list_wire.hpp"
#include "generated/codecs/lead_wire.hpp"
#include "generated/codecs/webhook_event_wire.hpp"

namespace {

using instantly::fuzz::require;

/// from_json of our own to_json output: failing to decode it is a bug, not bad input.
template <class Model>
Model decode_own_output(const std::string& encoded) {
  try {
    return Model::from_json(encoded);
  } catch (const instantly::Error&) {
    instantly::fuzz::fail("from_json refused what to_json wrote");
  }
}

template <class Model>
void round_trip(const Model& model) {
  const Model again = decode_own_output<Model>(model.to_json());
  require(again == model, "from_json(to_json()) differs from the decoded model");
}

template <class Model>
void decode_model(std::string_view text) {
  round_trip(Model::from_json(text));
}

/// A list answer (`{"items": [...], "next_starting_after": ...}` or a bare array).
template <class Model>
void decode_page(std::string_view text) {
  const auto page = instantly::detail::decode_document<instantly::Page<Model>>(text);
  if (page.next_starting_after) require(!page.next_starting_after->empty(), "an empty cursor was kept");
  for (const Model& item : page.items) round_trip(item);
}

using Decoder = void (*)(std::string_view);

// Order matters only for the seeds: fuzz/corpus/model_decode/NN_<name>.json starts with byte NN.
constexpr std::array<Decoder, 48> kDecoders = {
    decode_model<instantly::Account>,                                     // 0
    decode_model<instantly::AccountListItem>,                             // 1
    decode_model<instantly::AccountTestVitalsResult>,                     // 2
    decode_model<instantly::AccountGetWarmupAnalyticsResult>,             // 3
    decode_model<instantly::AccountCampaignMapping>,                      // 4
    decode_model<instantly::AIAgent>,                                     // 5
    decode_model<instantly::AIInboxManager>,                              // 6
    decode_model<instantly::AILeadFinderAgent>,                           // 7
    decode_model<instantly::AISalesAgent>,                                // 8
    decode_model<instantly::AIDeliverabilityAgent>,                       // 9
    decode_model<instantly::AiDeliverabilityAgentGetCurrentStateResult>,  // 10
    decode_model<instantly::AISalesAgentActivity>,                        // 11
    decode_model<instantly::AIAgentGuidance>,                             // 12
    decode_model<instantly::APIKey>,                                      // 13
    decode_model<instantly::AuditLog>,                                    // 14
    decode_model<instantly::BackgroundJob>,                               // 15
    decode_model<instantly::BlockListEntry>,                              // 16
    decode_model<instantly::Campaign>,                                    // 17
    decode_model<instantly::CampaignCreateParams>,                        // 18
    decode_model<instantly::CampaignAnalyticsResult>,                     // 19
    decode_model<instantly::CampaignSubsequence>,                         // 20
    decode_model<instantly::CRMActions>,                                  // 21
    decode_model<instantly::CustomPromptTemplate>,                        // 22
    decode_model<instantly::CustomTag>,                                   // 23
    decode_model<instantly::DFYEmailAccountOrder>,                        // 24
    decode_model<instantly::DomainForwarding>,                            // 25
    decode_model<instantly::Email>,                                       // 26
    decode_model<instantly::EmailVerification>,                           // 27
    decode_model<instantly::InboxPlacementAnalytics>,                     // 28
    decode_model<instantly::InboxPlacementBlacklistAndSpamAssassinReport>,  // 29
    decode_model<instantly::InboxPlacementTest>,                          // 30
    decode_model<instantly::Lead>,                                        // 31
    decode_model<instantly::LeadAddParams>,                               // 32
    decode_model<instantly::LeadLabel>,                                   // 33
    decode_model<instantly::LeadList>,                                    // 34
    decode_model<instantly::SalesFlow>,                                   // 35
    decode_model<instantly::Webhook>,                                     // 36
    decode_model<instantly::WebhookEvent>,                                // 37
    decode_model<instantly::Workspace>,                                   // 38
    decode_model<instantly::WorkspaceBilling>,                            // 39
    decode_model<instantly::WorkspaceMember>,                             // 40
    decode_page<instantly::Campaign>,                                     // 41
    decode_page<instantly::Lead>,                                         // 42
    decode_page<instantly::Email>,                                        // 43
    decode_page<instantly::AccountListItem>,                              // 44
    decode_page<instantly::WebhookEvent>,                                 // 45
    decode_page<instantly::BackgroundJob>,                                // 46
    decode_page<instantly::LeadList>,                                     // 47
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Decoder decode = kDecoders[data[0] % kDecoders.size()];
  const std::string_view text = instantly::fuzz::as_text(data + 1, size - 1);
  instantly::fuzz::expect_only_library_errors([&] { decode(text); });
  return 0;
}
