// The keyword reply classifier: each label, the precedence between labels,
// quoted history ignored, word boundaries, custom keyword lists, and the
// pluggable interface.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "instantly/models/email.hpp"
#include "instantly/workflows/reply_classifier.hpp"

using instantly::Email;
using namespace instantly::workflows;

namespace {

ReplyLabel label_of(std::string_view body, std::string_view subject = "Re: Quick question") {
  return KeywordReplyClassifier().classify_text(subject, body).label;
}

Email received(std::string text, std::string subject = "Re: Quick question") {
  Email email;
  email.id = "019a0000-0000-7000-8000-000000000001";
  email.subject = std::move(subject);
  email.body.text = std::move(text);
  email.ue_type = instantly::EmailUeType::Received;
  return email;
}

}  // namespace

TEST_SUITE("workflows reply classifier") {
  TEST_CASE("each label from a typical reply") {
    CHECK(label_of("Please unsubscribe me from this list.") == ReplyLabel::Unsubscribe);
    CHECK(label_of("Take me off your mailing list") == ReplyLabel::Unsubscribe);
    CHECK(label_of("I am out of the office until Monday with limited access to email.") ==
          ReplyLabel::OutOfOffice);
    CHECK(label_of("Not interested, thanks.") == ReplyLabel::NotInterested);
    CHECK(label_of("We're all set with our current provider.") == ReplyLabel::NotInterested);
    CHECK(label_of("This sounds interesting: could we talk next week?") == ReplyLabel::Interested);
    CHECK(label_of("Can you send me pricing details?") == ReplyLabel::Interested);
    CHECK(label_of("Who gave you my address?") == ReplyLabel::Other);
    CHECK(label_of("") == ReplyLabel::Other);
  }

  TEST_CASE("the mock's simulated replies get the labels a person would give them") {
    CHECK(label_of("Thanks for reaching out, Ann here. This sounds interesting: could we talk next week?") ==
          ReplyLabel::Interested);
    CHECK(label_of("Hi, not the right time for us, but feel free to follow up next quarter.") ==
          ReplyLabel::NotInterested);
    CHECK(label_of("Interesting. Can you send me pricing details?") == ReplyLabel::Interested);
    CHECK(label_of("Please tell me more about how this works for a team like Acme.") == ReplyLabel::Interested);
    CHECK(label_of("I am out of the office with limited access to email and will reply when I am back.") ==
          ReplyLabel::OutOfOffice);
  }

  TEST_CASE("precedence: unsubscribe > out_of_office > not_interested > interested") {
    // A refusal that also asks to be removed is an opt-out first.
    CHECK(label_of("Not interested. Remove me from your list.") == ReplyLabel::Unsubscribe);
    // An absence notice mentioning availability and meetings says nothing about the lead's intent.
    CHECK(label_of("I'm on vacation and available for meetings from the 12th.") == ReplyLabel::OutOfOffice);
    CHECK(label_of("On vacation; to unsubscribe reply STOP. Actually just unsubscribe me.") ==
          ReplyLabel::Unsubscribe);
    // A polite refusal contains the positive words.
    CHECK(label_of("Sounds interesting, but we're not interested right now.") == ReplyLabel::NotInterested);
    CHECK(label_of("Not a good fit for us, although the demo looked nice.") == ReplyLabel::NotInterested);
  }

  TEST_CASE("the reason names the matched keyword, and the subject counts only for out of office") {
    const Classification c = KeywordReplyClassifier().classify_text("Re: Quick question", "Not interested.");
    CHECK(c.label == ReplyLabel::NotInterested);
    CHECK(c.reason == "matched 'not interested'");
    CHECK_FALSE(c.confidence.has_value());

    const Classification ooo = KeywordReplyClassifier().classify_text("Automatic reply: Quick question", "Thanks.");
    CHECK(ooo.label == ReplyLabel::OutOfOffice);
    CHECK(ooo.reason == "matched 'automatic reply' in the subject");
    // Our own subject line quoting an interest word must not make the reply "interested".
    CHECK(label_of("Who is this?", "Re: Interested in more customers?") == ReplyLabel::Other);
    CHECK(label_of("Who is this?", "Re: Unsubscribe") == ReplyLabel::Other);
  }

  TEST_CASE("quoted history is ignored: 'On ... wrote:', wrapped headers, '>' lines, Outlook blocks") {
    const std::string quoted_campaign =
        "Who are you?\n\nOn Mon, 3 Mar 2025 at 10:00, Sam <sam@acme.test> wrote:\n"
        "> Interested in a demo? Reply to book a call.\n> To unsubscribe, reply STOP.\n";
    CHECK(label_of(quoted_campaign) == ReplyLabel::Other);
    CHECK(strip_quoted_text(quoted_campaign) == "Who are you?");

    const std::string wrapped =
        "No thanks.\nOn Mon, Mar 3, 2025 at 10:00 AM Sam Seller <sam@acme.test>\nwrote:\nWould you like a demo?";
    CHECK(strip_quoted_text(wrapped) == "No thanks.");
    CHECK(label_of(wrapped) == ReplyLabel::NotInterested);

    CHECK(strip_quoted_text("Yes please\r\n> pricing inside\r\nthanks") == "Yes please\nthanks");
    const std::string outlook =
        "Let's talk.\n\n-----Original Message-----\nFrom: Sam\nSent: Monday\nunsubscribe here";
    CHECK(strip_quoted_text(outlook) == "Let's talk.");
    CHECK(label_of(outlook) == ReplyLabel::Interested);
    const std::string outlook_header = "Call me.\n________________\nFrom: Sam <sam@acme.test>\nSent: Monday\nTo: x\nopt out";
    CHECK(label_of(outlook_header) == ReplyLabel::Interested);
    // A line that merely starts with "On" is the lead's own text.
    CHECK(strip_quoted_text("On second thought, tell me more.") == "On second thought, tell me more.");
  }

  TEST_CASE("keywords match case-insensitively on whole words, across line breaks and curly apostrophes") {
    CHECK(label_of("NOT INTERESTED") == ReplyLabel::NotInterested);
    CHECK(label_of("not\n  interested") == ReplyLabel::NotInterested);
    CHECK(label_of("We\xE2\x80\x99re all set.") == ReplyLabel::NotInterested);
    CHECK(label_of("Totally uninterested.") == ReplyLabel::NotInterested);
    // "demo" must not fire inside "demolition", nor "ooo" inside "cooool".
    CHECK(label_of("We do demolition work.") == ReplyLabel::Other);
    CHECK(label_of("cooool") == ReplyLabel::Other);
    CHECK(label_of("opt-out") == ReplyLabel::Unsubscribe);
  }

  TEST_CASE("an email: text body, else HTML without its quoted block, and the API's auto-reply flag") {
    KeywordReplyClassifier classifier;
    CHECK(classifier.classify(received("Can we chat on Friday?")).label == ReplyLabel::Interested);

    Email html_only = received("");
    html_only.body.text.reset();
    html_only.body.html =
        "<div>No&nbsp;thanks,<br>we&#39;re set</div><div class=\"gmail_quote\">Interested in a demo?</div>";
    CHECK(reply_text(html_only) == "No thanks,\nwe're set");
    CHECK(classifier.classify(html_only).label == ReplyLabel::NotInterested);

    Email quoted_html = received("");
    quoted_html.body.text.reset();
    quoted_html.body.html = "<p>Who is this?</p><blockquote><p>Book a <b>call</b></p></blockquote>";
    CHECK(reply_text(quoted_html) == "Who is this?");

    Email automatic = received("Thank you for your email.");
    automatic.is_auto_reply = 1.0;
    const Classification c = classifier.classify(automatic);
    CHECK(c.label == ReplyLabel::OutOfOffice);
    CHECK(c.reason == "the API marks it as an automatic reply");
    automatic.body.text = "Automated: to unsubscribe, reply unsubscribe.";
    CHECK(classifier.classify(automatic).label == ReplyLabel::Unsubscribe);

    Email preview_only = received("");
    preview_only.body.text.reset();
    preview_only.content_preview = "Sounds good, send over the details";
    CHECK(classifier.classify(preview_only).label == ReplyLabel::Interested);
  }

  TEST_CASE("custom keyword lists replace the defaults, extending the defaults keeps them") {
    ReplyKeywords mine;
    mine.interested = {"Ja bitte"};
    KeywordReplyClassifier german(mine);
    CHECK(german.classify_text("", "ja BITTE, gerne").label == ReplyLabel::Interested);
    CHECK(german.classify_text("", "not interested").label == ReplyLabel::Other);  // lists replaced
    CHECK(german.keywords().interested == std::vector<std::string>{"ja bitte"});

    ReplyKeywords extended = ReplyKeywords::defaults();
    extended.unsubscribe.push_back("austragen");
    KeywordReplyClassifier both(extended);
    CHECK(both.classify_text("", "Bitte austragen").label == ReplyLabel::Unsubscribe);
    CHECK(both.classify_text("", "not interested").label == ReplyLabel::NotInterested);
  }

  TEST_CASE("labels round-trip through their names") {
    for (ReplyLabel label : {ReplyLabel::Unsubscribe, ReplyLabel::OutOfOffice, ReplyLabel::NotInterested,
                             ReplyLabel::Interested, ReplyLabel::Other}) {
      CHECK(reply_label_from_string(to_string(label)) == label);
    }
    CHECK(to_string(ReplyLabel::OutOfOffice) == "out_of_office");
    CHECK_FALSE(reply_label_from_string("Interested").has_value());
  }

  TEST_CASE("a user's classifier plugs in through the interface") {
    struct LengthClassifier final : ReplyClassifier {
      Classification classify(const Email& email) const override {
        const bool long_reply = reply_text(email).size() > 20;
        return {.label = long_reply ? ReplyLabel::Interested : ReplyLabel::Other,
                .confidence = 0.5,
                .reason = "length"};
      }
    };
    const std::vector<Email> emails{received("ok"), received("Tell me everything about it, please.")};
    const std::vector<ClassifiedEmail> out = classify_all(emails, LengthClassifier());
    REQUIRE(out.size() == 2);
    CHECK(out[0].email.body.text == "ok");
    CHECK(out[0].classification.label == ReplyLabel::Other);
    CHECK(out[1].classification.label == ReplyLabel::Interested);
    CHECK(out[1].classification.confidence == 0.5);
  }
}
