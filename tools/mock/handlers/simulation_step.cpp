// One lead, one step: the campaign mail, then what the lead does with it.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "handlers/campaign_records.hpp"
#include "handlers/email_records.hpp"
#include "handlers/simulation.hpp"
#include "handlers/simulation_events.hpp"

namespace instantly::mock::simulation {

namespace {

constexpr std::string_view kDefaultSender = "sender@mock.instantly.test";

bool draw(std::mt19937_64& rng, double p) {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng) < p;
}

/// The lead field a template variable names (Instantly's camelCase names and the
/// lead's own snake_case ones), else its custom variable, else "".
std::string variable(const Json& lead, std::string_view name, const std::string& sender) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kAliases = {{
      {"firstName", "first_name"},
      {"lastName", "last_name"},
      {"companyName", "company_name"},
      {"jobTitle", "job_title"},
      {"companyDomain", "company_domain"},
      {"personalization", "personalization"},
      {"website", "website"},
      {"phone", "phone"},
  }};
  if (name == "email") return campaign::string_member(lead, "email");
  if (name == "sendingAccountEmail") return sender;
  for (auto [alias, field] : kAliases) {
    if (name == alias || name == field) return campaign::string_member(lead, field);
  }
  if (const Json* custom = lead.find("payload"); custom && custom->is_object()) {
    if (const Json* value = custom->find(name)) return value->is_string() ? value->as_string() : value->dump();
  }
  return "";
}

/// Fills {{variables}} the way the campaign would for this lead.
std::string render(std::string_view text, const Json& lead, const std::string& sender) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    auto open = text.find("{{", pos);
    auto close = open == std::string_view::npos ? open : text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(text.substr(pos, open - pos));
    std::string_view name = text.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    out += variable(lead, name, sender);
    pos = close + 2;
  }
  out.append(text.substr(pos));
  return out;
}

/// The variant a lead gets: one of the step's enabled variants, drawn evenly.
/// Returns the 1-based variant number and its copy (null copy when the step has none).
std::pair<int, const Json*> pick_variant(const Json* step, std::mt19937_64& rng) {
  const Json* variants = step ? step->find("variants") : nullptr;
  if (!variants || !variants->is_array() || variants->empty()) return {1, nullptr};
  std::vector<std::size_t> enabled;
  for (std::size_t i = 0; i < variants->size(); ++i) {
    if (!campaign::bool_member(variants->at(i), "v_disabled", false)) enabled.push_back(i);
  }
  if (enabled.empty()) return {1, &variants->at(0)};
  std::size_t pick = enabled[std::uniform_int_distribution<std::size_t>(0, enabled.size() - 1)(rng)];
  return {static_cast<int>(pick) + 1, &variants->at(pick)};
}

std::string choose_sender(CampaignRun& run, const LeadProgress& progress) {
  // A follow-up comes from the account that started the thread.
  if (!progress.last_email_id.empty()) {
    if (const Json* previous = run.state.collection(collections::kEmails).find(progress.last_email_id)) {
      return campaign::string_member(*previous, "eaccount");
    }
  }
  const Json* senders = run.campaign.find("email_list");
  if (!senders || !senders->is_array() || senders->empty()) return std::string(kDefaultSender);
  const Json& sender = senders->at(run.next_sender++ % senders->size());
  return sender.is_string() ? sender.as_string() : std::string(kDefaultSender);
}

constexpr std::array<std::string_view, 4> kReplies = {
    "Thanks for reaching out, {{firstName}} here. This sounds interesting: could we talk next week?",
    "Hi, not the right time for us, but feel free to follow up next quarter.",
    "Interesting. Can you send me pricing details?",
    "Please tell me more about how this works for a team like {{companyName}}.",
};
constexpr std::string_view kAutoReply =
    "I am out of the office with limited access to email and will reply when I am back.";

std::string unibox_url(const std::string& thread_id) {
  return "https://app.instantly.ai/app/unibox?thread_search=thread:" + thread_id;
}

void bump(Json& lead, std::string_view counter) {
  lead.set(std::string(counter), campaign::int_member(lead, counter, 0) + 1);
}

/// The lead's last interaction: bounces and unsubscribes have no timestamp
/// of their own, so a reconcile dates them by `timestamp_last_touch`.
void mark_touched(Json& lead, const std::string& now) {
  lead.set("timestamp_last_touch", now);
  lead.set("timestamp_updated", now);
}

struct StepMail {
  int step = 0;
  int variant = 0;
  const Json* email = nullptr;  ///< the sent record
};

/// Stores and publishes one event about the lead.
void emit(CampaignRun& run, std::string_view type, const Json& lead, const StepMail& mail, const std::string& email_id,
          bool is_first, Json payload) {
  events::record(run.state, {type, campaign::string_member(run.campaign, "id"), campaign::string_member(lead, "id"),
                             campaign::string_member(lead, "email"), mail.step, mail.variant, email_id, is_first});
  payload.set("email_id", email_id);
  run.state.publish(payload);
  ++run.counts[std::string(type)];
}

void emit(CampaignRun& run, std::string_view type, const Json& lead, const StepMail& mail, bool is_first) {
  emit(run, type, lead, mail, campaign::string_member(*mail.email, "id"), is_first,
       lead_payload(run.state, type, run.campaign, lead, *mail.email, mail.step, mail.variant, is_first));
}

/// The lead answers: the reply lands in the unibox, unread, in the campaign mail's thread.
void receive_reply(CampaignRun& run, Json& lead, const StepMail& mail, bool automatic) {
  const Json& sent = *mail.email;
  std::string text = automatic ? std::string(kAutoReply)
                               : render(kReplies[std::uniform_int_distribution<std::size_t>(0, kReplies.size() - 1)(run.rng)],
                                        lead, campaign::string_member(sent, "eaccount"));
  email::Draft reply;
  reply.from = campaign::string_member(lead, "email");
  reply.to = campaign::string_member(sent, "eaccount");
  reply.eaccount = reply.to;
  reply.subject = "Re: " + campaign::string_member(sent, "subject");
  reply.text = text;
  reply.thread_id = campaign::string_member(sent, "thread_id");
  reply.campaign_id = campaign::string_member(run.campaign, "id");
  reply.lead_email = reply.from;
  reply.lead_id = campaign::string_member(lead, "id");
  reply.step = std::to_string(mail.step);
  reply.ue_type = email::kReceived;
  reply.unread = true;
  reply.auto_reply = automatic;
  const Json& received = email::store(run.state, reply);

  std::string now = run.state.now_iso();
  bool first = campaign::int_member(lead, "email_reply_count", 0) == 0;
  if (!automatic) {
    bump(lead, "email_reply_count");
    lead.set("timestamp_last_reply", now);
    lead.set("email_replied_step", mail.step);
    lead.set("email_replied_variant", mail.variant);
  }
  mark_touched(lead, now);
  std::string_view stop_setting = automatic ? "stop_on_auto_reply" : "stop_on_reply";
  if (campaign::bool_member(run.campaign, stop_setting, !automatic)) lead.set("status", campaign::kLeadCompleted);

  std::string_view type = automatic ? events::kAutoReplyReceived : events::kReplyReceived;
  Json payload = lead_payload(run.state, type, run.campaign, lead, sent, mail.step, mail.variant, first);
  const Json& body = received.at("body");
  payload.set("reply_text_snippet", email::snippet(body.at("text").as_string(), 100));
  payload.set("reply_subject", received.at("subject"));
  payload.set("reply_text", body.at("text"));
  payload.set("reply_html", body.at("html"));
  payload.set("unibox_url", unibox_url(received.at("thread_id").as_string()));
  // email_id is the reply itself: the reply_to_uuid to answer it in-thread.
  emit(run, type, lead, mail, received.at("id").as_string(), first, std::move(payload));
}

}  // namespace

Json lead_payload(State& state, std::string_view type, const Json& campaign, const Json& lead, const Json& sent_email,
                  int step, int variant, bool is_first) {
  const Json& body = sent_email.at("body");
  Json payload = Json::object({{"timestamp", state.now_iso()},
                               {"event_type", type},
                               {"workspace", state.workspace().at("id")},
                               {"campaign_id", campaign.at("id")},
                               {"campaign_name", campaign::string_member(campaign, "name")},
                               {"lead_email", campaign::string_member(lead, "email")},
                               {"email_account", sent_email.at("eaccount")},
                               {"step", step},
                               {"variant", variant},
                               {"is_first", is_first},
                               {"email_id", sent_email.at("id")},
                               {"email_subject", sent_email.at("subject")},
                               {"email_text", body.at("text")},
                               {"email_html", body.at("html")}});
  // The lead's custom variables ride along as extra top-level keys.
  if (const Json* custom = lead.find("payload"); custom && custom->is_object()) {
    for (const auto& [key, value] : custom->as_object()) {
      if (!payload.contains(key)) payload.set(key, value);
    }
  }
  return payload;
}

void send_step(CampaignRun& run, Json& lead, int step, LeadProgress& progress) {
  // One instant for everything this step leaves behind: the sent and received
  // emails, the stored events, the lead's timestamps and every webhook
  // payload's `timestamp`, so that a reconcile can rebuild an event from the
  // API's records with exactly the time its webhook carried.
  State::ClockFreeze instant(run.state);
  auto steps = campaign::steps_of(run.campaign);
  const Json* step_copy = static_cast<std::size_t>(step) <= steps.size() ? steps[static_cast<std::size_t>(step) - 1] : nullptr;
  auto [variant, copy] = pick_variant(step_copy, run.rng);
  std::string sender = choose_sender(run, progress);

  const Json* previous = progress.last_email_id.empty()
                             ? nullptr
                             : run.state.collection(collections::kEmails).find(progress.last_email_id);
  std::string subject = copy ? campaign::string_member(*copy, "subject") : "Hello {{firstName}}";
  std::string body = copy ? campaign::string_member(*copy, "body")
                          : "Hi {{firstName}},\n\nthis is step " + std::to_string(step) + " of the campaign.";
  // An empty follow-up subject continues the thread, as Instantly does.
  if (subject.empty() && previous) subject = "Re: " + campaign::string_member(*previous, "subject");

  email::Draft draft;
  draft.from = sender;
  draft.to = campaign::string_member(lead, "email");
  draft.eaccount = sender;
  draft.subject = render(subject, lead, sender);
  std::string rendered = render(body, lead, sender);
  // Campaign copy is HTML when it has tags, plain text otherwise.
  if (rendered.find('<') != std::string::npos) draft.html = rendered;
  else draft.text = rendered;
  draft.thread_id = previous ? campaign::string_member(*previous, "thread_id") : "";
  draft.campaign_id = campaign::string_member(run.campaign, "id");
  draft.lead_email = draft.to;
  draft.lead_id = campaign::string_member(lead, "id");
  draft.step = std::to_string(step);
  draft.ue_type = email::kFromCampaign;
  const Json& sent = email::store(run.state, draft);

  bool first_contact = progress.sent_steps.empty();
  progress.sent_steps.insert(step);
  progress.last_step = std::max(progress.last_step, step);
  progress.last_email_id = sent.at("id").as_string();

  std::string now = run.state.now_iso();
  std::string step_id = draft.campaign_id + "_" + std::to_string(step - 1) + "_" + std::to_string(variant - 1);
  lead.set("timestamp_last_contact", now);
  mark_touched(lead, now);
  lead.set("last_contacted_from", sender);
  lead.set("last_step_from", "campaign");
  lead.set("last_step_id", step_id);
  lead.set("last_step_timestamp_executed", now);
  lead["status_summary"].set("lastStep", Json::object({{"from", "campaign"}, {"stepID", step_id}, {"timestamp_executed", now}}));
  if (static_cast<std::size_t>(step) >= campaign::step_count(run.campaign)) lead.set("status", campaign::kLeadCompleted);

  StepMail mail{step, variant, &sent};
  emit(run, events::kEmailSent, lead, mail, first_contact);

  if (draw(run.rng, run.rates.bounced)) {
    lead.set("status", campaign::kLeadBounced);
    mark_touched(lead, now);
    emit(run, events::kEmailBounced, lead, mail, true);
    return;  // nothing reached the lead
  }
  if (draw(run.rng, run.rates.opened)) {
    bool first = campaign::int_member(lead, "email_open_count", 0) == 0;
    bump(lead, "email_open_count");
    lead.set("timestamp_last_open", now);
    mark_touched(lead, now);
    lead.set("email_opened_step", step);
    lead.set("email_opened_variant", variant);
    emit(run, events::kEmailOpened, lead, mail, first);
  }
  if (draw(run.rng, run.rates.clicked)) {
    bool first = campaign::int_member(lead, "email_click_count", 0) == 0;
    bump(lead, "email_click_count");
    lead.set("timestamp_last_click", now);
    mark_touched(lead, now);
    lead.set("email_clicked_step", step);
    lead.set("email_clicked_variant", variant);
    emit(run, events::kLinkClicked, lead, mail, first);
  }
  if (draw(run.rng, run.rates.replied)) receive_reply(run, lead, mail, false);
  if (draw(run.rng, run.rates.auto_reply)) receive_reply(run, lead, mail, true);
  if (draw(run.rng, run.rates.unsubscribed)) {
    lead.set("status", campaign::kLeadUnsubscribed);
    mark_touched(lead, now);
    emit(run, events::kLeadUnsubscribed, lead, mail, true);
  }
}

}  // namespace instantly::mock::simulation
