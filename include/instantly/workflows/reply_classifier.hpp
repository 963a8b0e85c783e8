// Sorting replies by what the lead meant: interested, not interested, out of
// office, unsubscribe, or other. The interface is the point; the keyword
// classifier is a dependable default that users replace (an LLM call, a
// fine-tuned model, their CRM's rules) by implementing `ReplyClassifier`.
//
//   instantly::workflows::KeywordReplyClassifier classifier;
//   instantly::workflows::Classification c = classifier.classify(email);
//   if (c.label == instantly::workflows::ReplyLabel::Interested) notify_sales(email);
//
//   struct LlmClassifier : instantly::workflows::ReplyClassifier {
//     Classification classify(const instantly::Email& email) const override {
//       std::string text = instantly::workflows::reply_text(email);  // quoted history removed
//       return ask_model(email.subject, text);                        // yours
//     }
//   };
//
// The keyword rules (KeywordReplyClassifier):
//   - Only the lead's own words count: `reply_text` drops quoted history —
//     everything from an "On <date>, <name> wrote:" line (also wrapped over two
//     lines), a "-----Original Message-----" line or an Outlook "From: / Sent:"
//     header block onwards, and every line starting with ">". Our own campaign
//     mail quoted below a reply would otherwise decide the label.
//   - Matching is case-insensitive, on whole words: a keyword matches when the
//     characters around it are not letters or digits ("stop" does not match
//     "nonstop"); runs of whitespace count as one space and ’ as '.
//   - The subject counts for out_of_office only ("Automatic reply: ...",
//     "Out of Office: ..."): for every other label it mostly repeats our own
//     subject line, which says nothing about the lead.
//   - Precedence when several labels match:
//       unsubscribe > out_of_office > not_interested > interested > other.
//     Unsubscribe first because honouring an opt-out is a legal duty and a
//     "not interested, remove me" must never be filed as a mere no; out of
//     office next because auto-replies are full of words that look like intent
//     ("available", "meeting", "contact me") but say nothing about the lead's;
//     not interested before interested because refusals contain the positive
//     words ("not interested", "sounds interesting but not for us").
//   - An email the API flags as an auto-reply (`is_auto_reply`) that matches no
//     unsubscribe keyword is out_of_office even without a matching keyword.
//
// Thread-safety: KeywordReplyClassifier is immutable after construction, so
// one instance may classify from many threads at once. Implementations of
// ReplyClassifier decide for themselves; the library calls `classify` from the
// caller's thread only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/models/email.hpp"

namespace instantly::workflows {

/// What a reply means. Ordered by the keyword classifier's precedence.
enum class ReplyLabel {
  Unsubscribe,    ///< asks to be removed / never contacted again
  OutOfOffice,    ///< an absence notice or other auto-reply
  NotInterested,  ///< declines
  Interested,     ///< wants to talk, asks for details or pricing
  Other,          ///< none of the above (questions, wrong person, ...)
};

/// "unsubscribe", "out_of_office", "not_interested", "interested", "other".
std::string_view to_string(ReplyLabel label) noexcept;
/// The inverse of to_string; empty for any other text.
std::optional<ReplyLabel> reply_label_from_string(std::string_view name) noexcept;

/// A classifier's verdict on one reply.
struct Classification {
  ReplyLabel label = ReplyLabel::Other;
  /// 0..1 when the classifier can say how sure it is; the keyword classifier cannot.
  std::optional<double> confidence;
  /// Why, for people reading logs: the keyword classifier names the matched
  /// keyword ("matched 'not interested'").
  std::string reason;

  friend bool operator==(const Classification&, const Classification&) = default;
};

/// Implement this to plug in your own classification (see the file comment).
class ReplyClassifier {
 public:
  virtual ~ReplyClassifier() = default;
  /// Classifies one received email. May throw; the library lets it through.
  virtual Classification classify(const Email& email) const = 0;
};

/// Keyword lists per label, matched as described in the file comment.
/// Keywords are compared in lower case; an empty keyword is ignored.
struct ReplyKeywords {
  std::vector<std::string> unsubscribe;
  std::vector<std::string> out_of_office;
  std::vector<std::string> not_interested;
  std::vector<std::string> interested;

  /// The built-in English lists (reply_classifier_keywords.cpp).
  static ReplyKeywords defaults();
};

class KeywordReplyClassifier final : public ReplyClassifier {
 public:
  /// With the built-in English keyword lists.
  KeywordReplyClassifier();
  /// With your own lists (start from `ReplyKeywords::defaults()` to extend them).
  explicit KeywordReplyClassifier(ReplyKeywords keywords);

  /// Reads `reply_text(email)`, the subject and `is_auto_reply`.
  Classification classify(const Email& email) const override;
  /// The same rules on a subject and a body text (quoted history is removed here too).
  Classification classify_text(std::string_view subject, std::string_view body,
                               bool is_auto_reply = false) const;

  const ReplyKeywords& keywords() const noexcept { return keywords_; }

 private:
  ReplyKeywords keywords_;  // lower-cased, whitespace-normalised
};

/// The lead's own words in `email`: the body's text (or, when the API sent
/// only HTML, that HTML as text; or else the content preview) without quoted
/// history, trimmed.
std::string reply_text(const Email& email);

/// `body` without quoted history (see the file comment), trimmed.
std::string strip_quoted_text(std::string_view body);

/// Plain text of an HTML body: tags dropped, `<br>`, `</p>`, `</div>` as line
/// breaks, quoted blocks (`<blockquote>`, Gmail's `gmail_quote`) left out, the
/// common entities decoded.
std::string html_to_text(std::string_view html);

/// One email and its verdict.
struct ClassifiedEmail {
  Email email;
  Classification classification;
};

/// Classifies every email in order with `classifier`.
std::vector<ClassifiedEmail> classify_all(const std::vector<Email>& emails,
                                          const ReplyClassifier& classifier);

}  // namespace instantly::workflows
