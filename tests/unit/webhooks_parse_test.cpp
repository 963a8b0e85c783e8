// parse_event: every event type's payload shape, aliases, custom labels,
// extra lead fields, and every way a body can be refused.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/json.hpp"
#include "instantly/webhooks.hpp"
#include "support/text.hpp"
#include "unit/webhooks_events.hpp"

using instantly::DecodeError;
using instantly::Json;
using instantly::testing::contains;
using instantly::webhooks::Event;
using instantly::webhooks::EventType;
using instantly::webhooks::parse_event;
using webhook_fixtures::payload;

namespace {

// The DecodeError message of parse_event(body), or "" when it parses.
std::string parse_error(std::string_view body, const instantly::webhooks::ParseOptions& options = {},
                        std::string* json_path = nullptr) {
  try {
    parse_event(body, options);
  } catch (const DecodeError& e) {
    if (json_path != nullptr) *json_path = e.json_path();
    return e.what();
  }
  return {};
}


}  // namespace

TEST_SUITE("webhooks: EventType") {
  TEST_CASE("19 subscription types, 2 payload aliases") {
    const auto& types = EventType::subscription_types();
    CHECK(types.size() == 19);
    CHECK(types.front() == "all_events");
    CHECK(types.back() == "supersearch_enrichment_completed");
    for (const EventType& type : types) {
      CHECK(type.is_known());
      CHECK(type.subscription_type() == type);
    }
    CHECK(EventType::LinkClicked.is_known());
    CHECK(EventType::LinkClicked.subscription_type() == EventType::EmailLinkClicked);
    CHECK(EventType::AutoReplyReceived.is_known());
    CHECK(EventType::AutoReplyReceived.subscription_type() == EventType::AllEvents);
  }

  TEST_CASE("custom labels are open values delivered through all_events") {
    const EventType label("Hot prospect");
    CHECK_FALSE(label.is_known());
    CHECK(label.value() == "Hot prospect");
    CHECK(label.subscription_type() == EventType::AllEvents);
    CHECK(label.is_lead_status());
  }

  TEST_CASE("lead statuses") {
    for (const EventType& type : {EventType::LeadNeutral, EventType::LeadInterested, EventType::LeadNotInterested,
                                  EventType::LeadMeetingBooked, EventType::LeadMeetingCompleted, EventType::LeadClosed,
                                  EventType::LeadOutOfOffice, EventType::LeadWrongPerson, EventType::LeadNoShow}) {
      CAPTURE(type.value());
      CHECK(type.is_lead_status());
    }
    for (const EventType& type : {EventType::EmailSent, EventType::ReplyReceived, EventType::LeadUnsubscribed,
                                  EventType::LinkClicked, EventType::AutoReplyReceived, EventType::AllEvents,
                                  EventType::CampaignCompleted}) {
      CAPTURE(type.value());
      CHECK_FALSE(type.is_lead_status());
    }
  }
}

TEST_SUITE("webhooks: parse_event") {
  TEST_CASE("every event type's payload shape parses into typed fields") {
    std::vector<std::string> types;
    for (const EventType& type : EventType::subscription_types()) types.push_back(type.value());
    types.push_back("link_clicked");
    types.push_back("auto_reply_received");
    types.push_back("Hot prospect");
    for (const std::string& type : types) {
      CAPTURE(type);
      const Json json = payload(type);
      const Event event = parse_event(json.dump());
      CHECK(event.event_type == type);
      CHECK(event.event_type.is_known() == (type != "Hot prospect"));
      CHECK(event.timestamp == "2024-05-01T12:00:00.000Z");
      CHECK(event.workspace == webhook_fixtures::kWorkspace);
      CHECK(event.campaign_id == webhook_fixtures::kCampaign);
      CHECK(event.campaign_name == "Q2 outreach");
      CHECK(event.lead_email.has_value() == json.contains("lead_email"));
      if (event.lead_email) CHECK(*event.lead_email == "Ada@Example.com");
      CHECK(event.email_account.has_value() == json.contains("email_account"));
      CHECK(event.step.has_value() == json.contains("step"));
      if (event.step) {
        CHECK(*event.step == 1);
        CHECK(event.variant == 2);
        CHECK(event.is_first == true);
      }
      CHECK(event.email_id.has_value() == json.contains("email_id"));
      // Every member is either a typed field or in extra, and to_json gives the same members back.
      const Json again = event.to_json();
      for (const auto& [name, value] : json.as_object()) {
        CAPTURE(name);
        REQUIRE(again.find(name) != nullptr);
        CHECK(*again.find(name) == value);
      }
      CHECK(again.size() == json.size());
      CHECK(parse_event(again.dump()).dedupe_key() == event.dedupe_key());
    }
  }

  TEST_CASE("email_sent carries the sent message") {
    const Event event = parse_event(payload("email_sent").dump());
    CHECK(event.email_id == "0190a1b2-sent");
    CHECK(event.email_subject == "Quick question");
    CHECK(event.email_text == "Hi Ada");
    CHECK(event.email_html == "<p>Hi Ada</p>");
    CHECK_FALSE(event.reply_text.has_value());
  }

  TEST_CASE("reply_received and auto_reply_received carry the reply") {
    for (const char* type : {"reply_received", "auto_reply_received"}) {
      CAPTURE(type);
      const Event event = parse_event(payload(type).dump());
      CHECK(event.email_id == "0190a1b2-reply");
      CHECK(event.unibox_url == "https://app.instantly.ai/app/unibox?thread=1");
      CHECK(event.reply_text_snippet == "Sounds good");
      CHECK(event.reply_subject == "Re: Quick question");
      CHECK(event.reply_text == "Sounds good, let's talk.");
      CHECK(event.reply_html == "<p>Sounds good, let's talk.</p>");
    }
  }

  TEST_CASE("link_clicked is the payload of an email_link_clicked subscription") {
    const Event event = parse_event(payload("link_clicked").dump());
    CHECK(event.event_type == EventType::LinkClicked);
    CHECK(event.event_type.subscription_type() == EventType::EmailLinkClicked);
  }

  TEST_CASE("a custom label arrives as its raw string") {
    const Event event = parse_event(payload("Hot prospect 🔥").dump());
    CHECK(event.event_type.value() == "Hot prospect 🔥");
    CHECK_FALSE(event.event_type.is_known());
    CHECK(event.lead_email == "Ada@Example.com");
  }

  TEST_CASE("extra lead fields are kept, in order, with their types") {
    const Event event = parse_event(payload("email_opened").dump());
    REQUIRE(event.extra.is_object());
    const auto& extra = event.extra.as_object();
    REQUIRE(extra.size() == 3);
    CHECK(extra[0].first == "firstName");
    CHECK(extra[0].second == Json("Ada"));
    CHECK(extra[1].first == "companyName");
    CHECK(extra[2].first == "score");
    CHECK(extra[2].second == Json(87));
    CHECK_FALSE(event.extra.contains("event_type"));
    CHECK_FALSE(event.extra.contains("lead_email"));
  }

  TEST_CASE("nested and unknown members stay in extra untouched") {
    const Event event = parse_event(
        R"({"event_type":"email_sent","new_field":{"a":[1,2,{"b":null}]},"lead_email":"x@y.z","flag":false})");
    CHECK(event.extra.at("new_field") == Json::parse(R"({"a":[1,2,{"b":null}]})"));
    CHECK(event.extra.at("flag") == Json(false));
    CHECK(event.lead_email == "x@y.z");
  }

  TEST_CASE("only event_type is required, nulls read as absent") {
    const Event bare = parse_event(R"({"event_type":"campaign_completed"})");
    CHECK(bare.event_type == EventType::CampaignCompleted);
    CHECK(bare.timestamp.empty());
    CHECK(bare.campaign_id.empty());
    CHECK_FALSE(bare.lead_email.has_value());
    CHECK(bare.extra.empty());

    const Event nulls = parse_event(
        R"({"event_type":"email_sent","campaign_id":null,"lead_email":null,"step":null,"is_first":null})");
    CHECK(nulls.campaign_id.empty());
    CHECK_FALSE(nulls.lead_email.has_value());
    CHECK_FALSE(nulls.step.has_value());
    CHECK_FALSE(nulls.is_first.has_value());
    CHECK(nulls.extra.empty());
  }

  TEST_CASE("integers written as floats are read, fractions are not") {
    CHECK(parse_event(R"({"event_type":"email_sent","step":2.0,"variant":1})").step == 2);
    std::string path;
    const std::string message = parse_error(R"({"event_type":"email_sent","step":1.5})", {}, &path);
    CHECK(contains(message, "step"));
    CHECK(path == "$.step");
  }

  TEST_CASE("known fields of the wrong type are refused, naming the field") {
    struct Case {
      const char* body;
      const char* field;
    };
    for (const Case& c : {Case{R"({"event_type":"email_sent","lead_email":42})", "lead_email"},
                          Case{R"({"event_type":"email_sent","timestamp":true})", "timestamp"},
                          Case{R"({"event_type":"email_sent","step":"1"})", "step"},
                          Case{R"({"event_type":"email_sent","variant":[1]})", "variant"},
                          Case{R"({"event_type":"email_sent","is_first":"yes"})", "is_first"},
                          Case{R"({"event_type":"email_sent","campaign_id":{}})", "campaign_id"},
                          Case{R"({"event_type":"email_sent","step":1e300})", "step"}}) {
      CAPTURE(c.body);
      std::string path;
      const std::string message = parse_error(c.body, {}, &path);
      CHECK(contains(message, c.field));
      CHECK(path == std::string("$.") + c.field);
    }
  }

  TEST_CASE("missing or unusable event_type") {
    std::string path;
    CHECK(contains(parse_error(R"({"timestamp":"2024-05-01T12:00:00Z"})", {}, &path), "no event_type"));
    CHECK(path == "$.event_type");
    CHECK(contains(parse_error(R"({"event_type":null})"), "no event_type"));
    CHECK(contains(parse_error(R"({"event_type":7})"), "event_type is a number"));
    CHECK(contains(parse_error(R"({"event_type":""})"), "event_type is empty"));
  }

  TEST_CASE("malformed JSON and non-objects") {
    for (const char* body : {"", "{", R"({"event_type":"email_sent",})", "{'event_type':'x'}",
                             R"({"event_type":"email_sent"} trailing)", "not json"}) {
      CAPTURE(body);
      CHECK(contains(parse_error(body), "webhook body is not JSON"));
    }
    CHECK(contains(parse_error("[]"), "webhook body is an array, expected a JSON object"));
    CHECK(contains(parse_error(R"("email_sent")"), "webhook body is a string"));
    CHECK(contains(parse_error("42"), "webhook body is a number"));
    CHECK(contains(parse_error("null"), "webhook body is null"));
  }

  TEST_CASE("the body size limit") {
    Json big = payload("email_sent");
    big.set("padding", std::string(2000, 'x'));
    const std::string body = big.dump();
    CHECK_NOTHROW(parse_event(body, {.max_body_bytes = body.size()}));
    const std::string message = parse_error(body, {.max_body_bytes = body.size() - 1});
    CHECK(contains(message, std::to_string(body.size()) + " bytes"));
    CHECK(contains(message, "limit of " + std::to_string(body.size() - 1)));
    // Default: 1 MiB.
    Json huge = payload("email_sent");
    huge.set("padding", std::string(1 << 20, 'x'));
    CHECK(contains(parse_error(huge.dump()), "over the limit of 1048576"));
  }

  TEST_CASE("non-UTF-8 bodies are refused with the offset of the first bad byte") {
    const std::string prefix = R"({"event_type":"email_sent","lead_email":")";
    for (const std::string& bad : {std::string("\xff"), std::string("\xc3"), std::string("\xc0\xaf"),
                                  std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80"),
                                  std::string("\xe2\x82"), std::string("\x80")}) {
      const std::string body = prefix + bad + "\"}";
      const std::string message = parse_error(body);
      CHECK(contains(message, "not valid UTF-8 (at byte " + std::to_string(prefix.size()) + ")"));
    }
    // Valid multi-byte text of every length passes.
    CHECK(parse_event(prefix + "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\xa5\"}").lead_email == "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\xa5");
  }

  TEST_CASE("error messages do not quote the body") {
    const std::string message = parse_error(R"({"event_type":"email_sent","lead_email":"secret-lead@x.y",)");
    CHECK_FALSE(contains(message, "secret-lead"));
  }

  TEST_CASE("Event::time reads ISO 8601 timestamps") {
    using namespace std::chrono;
    Event event;
    event.timestamp = "2024-05-01T12:00:00.000Z";
    const auto base = sys_days{year{2024} / 5 / 1} + hours(12);
    REQUIRE(event.time().has_value());
    CHECK(*event.time() == base);
    event.timestamp = "2024-05-01T14:00:00.250+02:00";
    CHECK(*event.time() == base + milliseconds(250));
    event.timestamp = "2024-05-01 07:30:00-04:30";
    CHECK(*event.time() == base);
    event.timestamp = "2024-05-01T12:00:00.1234567Z";
    CHECK(*event.time() == base + microseconds(123456));
    for (const char* bad : {"", "yesterday", "2024-02-30T00:00:00Z", "2024-05-01", "2024-05-01T25:00:00Z",
                            "2024-05-01T12:00:00Zjunk", "2024-05-01T12:00:00."}) {
      CAPTURE(bad);
      event.timestamp = bad;
      CHECK_FALSE(event.time().has_value());
    }
  }
}
