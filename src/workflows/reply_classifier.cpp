// Reply labels and the keyword classifier's matching (reply_classifier.hpp).
#include "instantly/workflows/reply_classifier.hpp"

#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace instantly::workflows {

namespace {

constexpr std::array<std::pair<ReplyLabel, std::string_view>, 5> kLabelNames{{
    {ReplyLabel::Unsubscribe, "unsubscribe"},
    {ReplyLabel::OutOfOffice, "out_of_office"},
    {ReplyLabel::NotInterested, "not_interested"},
    {ReplyLabel::Interested, "interested"},
    {ReplyLabel::Other, "other"},
}};

bool is_space_byte(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

// Letters and digits, and every byte of a multi-byte UTF-8 character (so
// "café" is one word): a keyword must not have one of these on either side.
bool is_word_byte(unsigned char c) { return std::isalnum(c) != 0 || c >= 0x80; }

// Lower case, one space for each run of whitespace (no-break spaces too), and
// the typographic apostrophe as "'", so "We’re  all\nset" matches "we're all set".
std::string normalise(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (is_space_byte(c) || (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0)) {
      if (c == 0xC2) ++i;
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    if (c == 0xE2 && text.substr(i, 3) == "\xE2\x80\x99") {
      out += '\'';
      i += 2;
      continue;
    }
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

std::vector<std::string> normalised(const std::vector<std::string>& keywords) {
  std::vector<std::string> out;
  out.reserve(keywords.size());
  for (const std::string& keyword : keywords) {
    std::string n = normalise(keyword);
    if (!n.empty()) out.push_back(std::move(n));
  }
  return out;
}

// Whether `keyword` occurs in `text` with no letter or digit touching it.
bool contains_word(std::string_view text, std::string_view keyword) {
  for (std::size_t at = text.find(keyword); at != std::string_view::npos; at = text.find(keyword, at + 1)) {
    const std::size_t end = at + keyword.size();
    const bool starts_clean = at == 0 || !is_word_byte(static_cast<unsigned char>(text[at - 1])) ||
                              !is_word_byte(static_cast<unsigned char>(keyword.front()));
    const bool ends_clean = end == text.size() || !is_word_byte(static_cast<unsigned char>(text[end])) ||
                            !is_word_byte(static_cast<unsigned char>(keyword.back()));
    if (starts_clean && ends_clean) return true;
  }
  return false;
}

const std::string* first_match(const std::vector<std::string>& keywords, std::string_view text) {
  if (text.empty()) return nullptr;
  for (const std::string& keyword : keywords) {
    if (contains_word(text, keyword)) return &keyword;
  }
  return nullptr;
}

Classification matched(ReplyLabel label, const std::string& keyword, std::string_view where = {}) {
  std::string reason = "matched '" + keyword + "'";
  if (!where.empty()) reason += std::string(" in the ") + std::string(where);
  return {.label = label, .confidence = std::nullopt, .reason = std::move(reason)};
}

}  // namespace

std::string_view to_string(ReplyLabel label) noexcept {
  for (const auto& [value, name] : kLabelNames) {
    if (value == label) return name;
  }
  return "other";
}

std::optional<ReplyLabel> reply_label_from_string(std::string_view name) noexcept {
  for (const auto& [value, known] : kLabelNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

KeywordReplyClassifier::KeywordReplyClassifier() : KeywordReplyClassifier(ReplyKeywords::defaults()) {}

KeywordReplyClassifier::KeywordReplyClassifier(ReplyKeywords keywords)
    : keywords_{normalised(keywords.unsubscribe), normalised(keywords.out_of_office),
                normalised(keywords.not_interested), normalised(keywords.interested)} {}

Classification KeywordReplyClassifier::classify(const Email& email) const {
  const bool auto_reply = email.is_auto_reply.has_value() && *email.is_auto_reply != 0;
  return classify_text(email.subject, reply_text(email), auto_reply);
}

Classification KeywordReplyClassifier::classify_text(std::string_view subject, std::string_view body,
                                                     bool is_auto_reply) const {
  const std::string text = normalise(strip_quoted_text(body));
  const std::string heading = normalise(subject);
  if (const std::string* k = first_match(keywords_.unsubscribe, text)) return matched(ReplyLabel::Unsubscribe, *k);
  if (const std::string* k = first_match(keywords_.out_of_office, heading)) {
    return matched(ReplyLabel::OutOfOffice, *k, "subject");
  }
  if (const std::string* k = first_match(keywords_.out_of_office, text)) return matched(ReplyLabel::OutOfOffice, *k);
  if (is_auto_reply) {
    return {.label = ReplyLabel::OutOfOffice, .confidence = std::nullopt,
            .reason = "the API marks it as an automatic reply"};
  }
  if (const std::string* k = first_match(keywords_.not_interested, text)) {
    return matched(ReplyLabel::NotInterested, *k);
  }
  if (const std::string* k = first_match(keywords_.interested, text)) return matched(ReplyLabel::Interested, *k);
  return {.label = ReplyLabel::Other, .confidence = std::nullopt, .reason = "no keyword matched"};
}

std::vector<ClassifiedEmail> classify_all(const std::vector<Email>& emails, const ReplyClassifier& classifier) {
  std::vector<ClassifiedEmail> out;
  out.reserve(emails.size());
  for (const Email& email : emails) out.push_back({email, classifier.classify(email)});
  return out;
}

}  // namespace instantly::workflows
