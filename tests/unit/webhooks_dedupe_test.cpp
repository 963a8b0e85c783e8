// Event::dedupe_key: one key for every delivery of an event, another for any other event.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "instantly/json.hpp"
#include "instantly/webhooks.hpp"
#include "unit/webhooks_events.hpp"

using instantly::Json;
using instantly::webhooks::Event;
using instantly::webhooks::parse_event;
using webhook_fixtures::payload;

namespace {

std::string key_of(const Json& json) { return parse_event(json.dump()).dedupe_key(); }

// The same members in reverse order.
Json reversed(const Json& json) {
  Json::Object members = json.as_object();
  std::reverse(members.begin(), members.end());
  return Json(std::move(members));
}

}  // namespace

TEST_SUITE("webhooks: dedupe_key") {
  TEST_CASE("64 lower-case hex digits") {
    const std::string key = key_of(payload("email_sent"));
    CHECK(key.size() == 64);
    CHECK(std::all_of(key.begin(), key.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }));
  }

  TEST_CASE("identical deliveries share a key, whatever the member order or whitespace") {
    for (const char* type : {"email_sent", "reply_received", "link_clicked", "lead_interested", "campaign_completed",
                             "account_error", "Hot prospect"}) {
      CAPTURE(type);
      const Json json = payload(type);
      const std::string key = key_of(json);
      CHECK(key_of(json) == key);
      CHECK(key_of(reversed(json)) == key);
      CHECK(parse_event(json.dump_pretty(4)).dedupe_key() == key);
    }
  }

  TEST_CASE("the key does not depend on fields that do not identify the event") {
    const Json json = payload("reply_received");
    const std::string key = key_of(json);
    for (const char* member : {"campaign_name", "unibox_url", "reply_text", "reply_html", "reply_subject",
                               "reply_text_snippet", "is_first", "firstName", "score"}) {
      CAPTURE(member);
      Json changed = json;
      changed.set(member, "something else");
      if (std::string(member) == "is_first") changed.set(member, false);
      CHECK(key_of(changed) == key);
    }
  }

  TEST_CASE("lead email and account compare without ASCII case") {
    Json upper = payload("email_opened");
    upper.set("lead_email", "ADA@EXAMPLE.COM");
    upper.set("email_account", "SENDER@OURCO.EXAMPLE");
    CHECK(key_of(upper) == key_of(payload("email_opened")));
  }

  TEST_CASE("any identifying field that differs gives another key") {
    const Json json = payload("reply_received");
    const std::string key = key_of(json);
    std::set<std::string> keys{key};
    struct Change {
      const char* member;
      Json value;
    };
    const std::vector<Change> changes{
        {"event_type", "auto_reply_received"},
        {"timestamp", "2024-05-01T12:00:00.001Z"},
        {"workspace", "another-workspace"},
        {"campaign_id", "another-campaign"},
        {"lead_email", "grace@example.com"},
        {"email_account", "other@ourco.example"},
        {"email_id", "0190a1b2-reply-2"},
        {"step", 2},
        {"variant", 1},
    };
    for (const Change& change : changes) {
      CAPTURE(change.member);
      Json changed = json;
      changed.set(change.member, change.value);
      const std::string other = key_of(changed);
      CHECK(other != key);
      keys.insert(other);
    }
    CHECK(keys.size() == changes.size() + 1);
  }

  TEST_CASE("absent and empty fields differ, and fields cannot run into each other") {
    Json with_empty = payload("lead_interested");
    with_empty.set("email_id", "");
    CHECK(key_of(with_empty) != key_of(payload("lead_interested")));

    Json without_step = payload("email_sent");
    without_step.erase("step");
    CHECK(key_of(without_step) != key_of(payload("email_sent")));

    // Moving characters from one field to the next must change the key.
    Event a;
    a.event_type = instantly::webhooks::EventType("email_sent");
    a.campaign_id = "ab";
    a.workspace = "c";
    Event b = a;
    b.campaign_id = "b";
    b.workspace = "ca";
    CHECK(a.dedupe_key() != b.dedupe_key());
  }

  TEST_CASE("a known recipe: the key is pinned, so stored keys stay valid across releases") {
    const Event event = parse_event(
        R"({"event_type":"email_sent","timestamp":"2024-05-01T12:00:00.000Z","workspace":"w","campaign_id":"c",)"
        R"("lead_email":"a@b.c","step":1,"variant":1})");
    // SHA-256 of "instantly-webhook-dedupe-v1\n10:email_sent24:2024-05-01T12:00:00.000Z1:w1:c5:a@b.c--1:11:1".
    CHECK(event.dedupe_key() == "ce299ee85aa6e903cb435cff1b2b96558e7f82ba39ffbdc0a59a55f3648bf55c");
  }
}
