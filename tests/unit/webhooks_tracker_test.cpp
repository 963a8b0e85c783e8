// EngagementTracker: idempotent under duplicates, the same state under any
// delivery order, and the column rules our users' lead tables follow.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "instantly/json.hpp"
#include "instantly/webhooks/engagement.hpp"
#include "unit/webhooks_events.hpp"

using instantly::Json;
using instantly::webhooks::EngagementTracker;
using instantly::webhooks::Event;
using instantly::webhooks::LeadEngagement;
using instantly::webhooks::parse_event;

namespace {

Event event(const std::string& type, const std::string& timestamp, const std::string& lead = "ada@example.com",
            const std::string& email_id = "") {
  Json json = webhook_fixtures::payload(type, lead, timestamp);
  if (!email_id.empty()) json.set("email_id", email_id);
  return parse_event(json.dump());
}

// A realistic history for three leads, including a custom label and events that concern no lead.
std::vector<Event> history() {
  return {
      event("email_sent", "2024-05-01T09:00:00.000Z"),
      event("email_opened", "2024-05-01T09:05:00.000Z"),
      event("email_opened", "2024-05-01T10:00:00.000Z"),
      event("link_clicked", "2024-05-01T09:06:00.000Z"),
      event("reply_received", "2024-05-01T11:00:00.000Z", "ada@example.com", "reply-1"),
      event("reply_received", "2024-05-02T08:00:00.000Z", "ada@example.com", "reply-2"),
      event("auto_reply_received", "2024-05-01T09:01:00.000Z"),
      event("lead_interested", "2024-05-01T11:30:00.000Z"),
      event("lead_meeting_booked", "2024-05-02T09:00:00.000Z"),
      event("email_sent", "2024-05-01T09:00:00.000Z", "grace@example.com"),
      event("email_bounced", "2024-05-01T09:00:05.000Z", "grace@example.com"),
      event("email_sent", "2024-05-01T09:00:00.000Z", "linus@example.com"),
      event("email_opened", "2024-05-01T12:00:00.000Z", "linus@example.com"),
      event("lead_unsubscribed", "2024-05-01T12:30:00.000Z", "linus@example.com"),
      event("Hot prospect", "2024-05-01T13:00:00.000Z", "linus@example.com"),
      event("lead_not_interested", "2024-05-01T12:59:59.999+00:00", "linus@example.com"),
      event("campaign_completed", "2024-05-03T00:00:00.000Z"),
      event("account_error", "2024-05-03T00:00:00.000Z"),
  };
}

std::vector<LeadEngagement> fold(const std::vector<Event>& events) {
  EngagementTracker tracker;
  for (const Event& e : events) tracker.apply(e);
  return tracker.leads();
}

}  // namespace

TEST_SUITE("webhooks: EngagementTracker") {
  TEST_CASE("the columns of a lead's history") {
    EngagementTracker tracker;
    for (const Event& e : history()) tracker.apply(e);
    CHECK(tracker.size() == 3);

    const LeadEngagement* ada = tracker.find(webhook_fixtures::kCampaign, "ADA@example.com");
    REQUIRE(ada != nullptr);
    CHECK(ada->lead_email == "ada@example.com");
    CHECK(ada->email_sent_at == "2024-05-01T09:00:00.000Z");
    CHECK(ada->email_opened_at == "2024-05-01T09:05:00.000Z");  // the earliest open
    CHECK(ada->email_clicked_at == "2024-05-01T09:06:00.000Z");
    CHECK(ada->email_replied_at == "2024-05-01T11:00:00.000Z");  // the first reply
    CHECK(ada->reply_count == 2);                                // the auto reply is not one
    CHECK(ada->email_status == "replied");
    CHECK(ada->interest == "lead_meeting_booked");
    CHECK(ada->interest_at == "2024-05-02T09:00:00.000Z");
    CHECK_FALSE(ada->email_bounced_at.has_value());

    const LeadEngagement* grace = tracker.find(webhook_fixtures::kCampaign, "grace@example.com");
    REQUIRE(grace != nullptr);
    CHECK(grace->email_status == "bounced");
    CHECK(grace->email_bounced_at == "2024-05-01T09:00:05.000Z");
    CHECK_FALSE(grace->interest.has_value());

    const LeadEngagement* linus = tracker.find(webhook_fixtures::kCampaign, "linus@example.com");
    REQUIRE(linus != nullptr);
    CHECK(linus->email_status == "unsubscribed");
    CHECK(linus->unsubscribed_at == "2024-05-01T12:30:00.000Z");
    CHECK(linus->interest == "Hot prospect");  // a custom label, latest by timestamp
    CHECK(linus->reply_count == 0);

    CHECK(tracker.find("other-campaign", "ada@example.com") == nullptr);
    const std::vector<LeadEngagement> leads = tracker.leads();
    REQUIRE(leads.size() == 3);
    CHECK(leads[0].lead_email == "ada@example.com");
    CHECK(leads[1].lead_email == "grace@example.com");
    CHECK(leads[2].lead_email == "linus@example.com");
  }

  TEST_CASE("apply reports duplicates and events about no lead") {
    EngagementTracker tracker;
    CHECK(tracker.apply(event("email_sent", "2024-05-01T09:00:00.000Z")));
    CHECK_FALSE(tracker.apply(event("email_sent", "2024-05-01T09:00:00.000Z")));
    CHECK_FALSE(tracker.apply(event("email_sent", "2024-05-01T09:00:00.000Z", "ADA@EXAMPLE.COM")));
    CHECK_FALSE(tracker.apply(event("campaign_completed", "2024-05-03T00:00:00.000Z")));
    CHECK_FALSE(tracker.apply(event("account_error", "2024-05-03T00:00:00.000Z")));
    CHECK_FALSE(tracker.apply(event("supersearch_enrichment_completed", "2024-05-03T00:00:00.000Z")));
    CHECK_FALSE(tracker.apply(parse_event(R"({"event_type":"email_opened","lead_email":""})")));
    CHECK(tracker.apply(event("auto_reply_received", "2024-05-01T09:01:00.000Z")));
    CHECK(tracker.applied() == 2);
    CHECK(tracker.size() == 1);
  }

  TEST_CASE("idempotent: every event delivered three times gives the same state") {
    const std::vector<Event> once = history();
    std::vector<Event> thrice;
    for (int round = 0; round < 3; ++round) thrice.insert(thrice.end(), once.begin(), once.end());
    CHECK(fold(thrice) == fold(once));

    EngagementTracker tracker;
    for (const Event& e : once) tracker.apply(e);
    const std::vector<LeadEngagement> before = tracker.leads();
    for (const Event& e : once) CHECK_FALSE(tracker.apply(e));
    CHECK(tracker.leads() == before);
  }

  TEST_CASE("order-independent: shuffled sequences with duplicates give the same state") {
    const std::vector<Event> once = history();
    const std::vector<LeadEngagement> expected = fold(once);
    std::mt19937 random(20240501);
    for (int trial = 0; trial < 200; ++trial) {
      std::vector<Event> shuffled = once;
      // A random subset delivered again, as Instantly's retries do.
      for (const Event& e : once) {
        if (random() % 3 == 0) shuffled.push_back(e);
      }
      std::shuffle(shuffled.begin(), shuffled.end(), random);
      CAPTURE(trial);
      CHECK(fold(shuffled) == expected);
    }
  }

  TEST_CASE("status precedence does not depend on arrival order") {
    // Replied beats clicked beats opened beats sent, even when the reply came first.
    CHECK(fold({event("reply_received", "2024-05-01T11:00:00.000Z"), event("email_opened", "2024-05-01T12:00:00Z"),
                event("email_sent", "2024-05-01T09:00:00Z")})
              .front()
              .email_status == "replied");
    CHECK(fold({event("email_opened", "2024-05-01T10:00:00Z"), event("email_sent", "2024-05-01T09:00:00Z")})
              .front()
              .email_status == "opened");
    CHECK(fold({event("email_sent", "2024-05-01T09:00:00Z"), event("link_clicked", "2024-05-01T10:00:00Z")})
              .front()
              .email_status == "clicked");
    // email_link_clicked (the subscription name) counts as a click too.
    CHECK(fold({event("email_link_clicked", "2024-05-01T10:00:00Z")}).front().email_status == "clicked");
    // Bounced and unsubscribed are terminal; unsubscribed ranks above bounced.
    CHECK(fold({event("email_bounced", "2024-05-01T09:00:00Z"), event("reply_received", "2024-05-01T10:00:00Z")})
              .front()
              .email_status == "bounced");
    CHECK(fold({event("lead_unsubscribed", "2024-05-01T09:00:00Z"), event("email_bounced", "2024-05-01T10:00:00Z")})
              .front()
              .email_status == "unsubscribed");
    // Lead statuses set interest, not email_status.
    CHECK(fold({event("lead_interested", "2024-05-01T09:00:00Z")}).front().email_status.empty());
  }

  TEST_CASE("reply_count counts distinct replies") {
    EngagementTracker tracker;
    tracker.apply(event("reply_received", "2024-05-01T11:00:00.000Z", "ada@example.com", "reply-1"));
    tracker.apply(event("reply_received", "2024-05-01T11:00:00.000Z", "ada@example.com", "reply-1"));  // retry
    tracker.apply(event("reply_received", "2024-05-01T12:00:00.000Z", "ada@example.com", "reply-2"));
    tracker.apply(event("reply_received", "2024-05-01T12:00:00.000Z", "ada@example.com", "reply-3"));
    tracker.apply(event("auto_reply_received", "2024-05-01T12:00:00.000Z", "ada@example.com", "reply-4"));
    const LeadEngagement* ada = tracker.find(webhook_fixtures::kCampaign, "ada@example.com");
    REQUIRE(ada != nullptr);
    CHECK(ada->reply_count == 3);
    CHECK(ada->email_replied_at == "2024-05-01T11:00:00.000Z");
  }

  TEST_CASE("interest: the latest by timestamp wins, whatever arrives last") {
    const Event interested = event("lead_interested", "2024-05-01T10:00:00.000Z");
    const Event booked = event("lead_meeting_booked", "2024-05-01T11:00:00.000Z");
    const Event no_show = event("lead_no_show", "2024-05-01T09:00:00.000Z");
    for (const std::vector<Event>& order : {std::vector{interested, booked, no_show},
                                            std::vector{booked, no_show, interested},
                                            std::vector{no_show, interested, booked}}) {
      const LeadEngagement lead = fold(order).front();
      CHECK(lead.interest == "lead_meeting_booked");
      CHECK(lead.interest_at == "2024-05-01T11:00:00.000Z");
    }
    // Offsets are compared as instants: 12:30+02:00 is 10:30Z, later than 10:00Z, earlier than 11:00Z.
    const Event offset = event("lead_closed", "2024-05-01T12:30:00.000+02:00");
    CHECK(fold({interested, offset}).front().interest == "lead_closed");
    CHECK(fold({offset, interested}).front().interest == "lead_closed");
    CHECK(fold({booked, offset}).front().interest == "lead_meeting_booked");
    // Same instant: a fixed choice in both orders.
    const Event a = event("lead_neutral", "2024-05-01T10:00:00.000Z");
    const Event b = event("lead_closed", "2024-05-01T10:00:00.000Z");
    CHECK(fold({a, b}).front().interest == fold({b, a}).front().interest);
    // An unreadable timestamp never wins over a readable one.
    const Event unreadable = event("lead_wrong_person", "sometime");
    CHECK(fold({interested, unreadable}).front().interest == "lead_interested");
    CHECK(fold({unreadable, interested}).front().interest == "lead_interested");
  }

  TEST_CASE("earliest columns compare instants, not text") {
    // 10:30+02:00 is 08:30Z, earlier than 09:00Z although it sorts later as text.
    const std::vector<LeadEngagement> leads =
        fold({event("email_opened", "2024-05-01T09:00:00Z"), event("email_opened", "2024-05-01T10:30:00+02:00")});
    CHECK(leads.front().email_opened_at == "2024-05-01T10:30:00+02:00");
    CHECK(fold({event("email_opened", "garbage"), event("email_opened", "2024-05-01T09:00:00Z")})
              .front()
              .email_opened_at == "2024-05-01T09:00:00Z");
  }

  TEST_CASE("leads are per campaign") {
    Json other = webhook_fixtures::payload("email_sent");
    other.set("campaign_id", "another-campaign");
    EngagementTracker tracker;
    tracker.apply(event("email_sent", "2024-05-01T12:00:00.000Z"));
    tracker.apply(parse_event(other.dump()));
    CHECK(tracker.size() == 2);
    CHECK(tracker.find("another-campaign", "ada@example.com") != nullptr);
  }
  TEST_CASE("apply: folding one event at a time through stored rows gives the tracker's state") {
    // What a database-backed store does: for each event that is new by its dedupe key, load
    // the lead's row (or start an empty one), apply, save the row.
    std::map<std::pair<std::string, std::string>, LeadEngagement> rows;
    std::set<std::string> stored_keys;
    for (const Event& e : history()) {
      if (!instantly::webhooks::concerns_a_lead(e)) continue;
      if (!stored_keys.insert(e.dedupe_key()).second) continue;  // ON CONFLICT DO NOTHING
      LeadEngagement& row = rows[{e.campaign_id, instantly::webhooks::lead_key(*e.lead_email)}];
      REQUIRE(instantly::webhooks::apply(row, e));
    }
    std::vector<LeadEngagement> folded;
    for (const auto& [key, lead] : rows) folded.push_back(lead);
    CHECK(folded == fold(history()));
  }

  TEST_CASE("apply is pure: a new row takes the event's lead, another lead's event changes nothing") {
    LeadEngagement row;
    REQUIRE(instantly::webhooks::apply(row, event("email_sent", "2024-05-01T09:00:00Z")));
    CHECK(row.campaign_id == event("email_sent", "2024-05-01T09:00:00Z").campaign_id);
    CHECK(row.lead_email == "ada@example.com");
    CHECK(row.email_status == "sent");

    const LeadEngagement before = row;
    Json other_lead = webhook_fixtures::payload("email_opened");
    other_lead.set("lead_email", "grace@example.com");
    CHECK_FALSE(instantly::webhooks::apply(row, parse_event(other_lead.dump())));
    Json other_campaign = webhook_fixtures::payload("email_opened");
    other_campaign.set("campaign_id", "another-campaign");
    CHECK_FALSE(instantly::webhooks::apply(row, parse_event(other_campaign.dump())));
    Json no_lead = webhook_fixtures::payload("campaign_completed");
    CHECK_FALSE(instantly::webhooks::apply(row, parse_event(no_lead.dump())));
    CHECK(row == before);

    // A stored row whose email was written in another case is still this lead's.
    LeadEngagement stored = before;
    stored.lead_email = "Ada@Example.COM";
    CHECK(instantly::webhooks::apply(stored, event("email_opened", "2024-05-01T10:00:00Z")));
    CHECK(stored.email_status == "opened");
  }

  TEST_CASE("apply counts every reply it is given: the store applies each dedupe key once") {
    LeadEngagement row;
    const Event reply = event("reply_received", "2024-05-01T10:00:00Z");
    instantly::webhooks::apply(row, reply);
    CHECK(row.reply_count == 1);
    const LeadEngagement once = row;
    instantly::webhooks::apply(row, reply);  // a store that skipped its dedupe check
    CHECK(row.reply_count == 2);
    // Every other column is idempotent.
    row.reply_count = once.reply_count;
    CHECK(row == once);

    EngagementTracker tracker;  // the in-memory store does the dedupe
    CHECK(tracker.apply(reply));
    CHECK_FALSE(tracker.apply(reply));
    CHECK(tracker.find(reply.campaign_id, "ada@example.com")->reply_count == 1);
  }

  TEST_CASE("lead_key trims and lower-cases ASCII only") {
    CHECK(instantly::webhooks::lead_key("  Ada@Example.COM\t") == "ada@example.com");
    CHECK(instantly::webhooks::lead_key("ÉLODIE@example.com") == "\xc3\x89lodie@example.com");
  }
}
