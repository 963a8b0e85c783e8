// What a reply says, without what it quotes: strip_quoted_text, html_to_text
// and reply_text (see reply_classifier.hpp for the rules).
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "instantly/workflows/reply_classifier.hpp"
#include "text/ascii.hpp"

namespace instantly::workflows {

namespace {


bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && ascii::lower(text.substr(0, prefix.size())) == prefix;
}

bool ends_with_nocase(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && ascii::lower(text.substr(text.size() - suffix.size())) == suffix;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (true) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// "On Mon, 3 Mar 2025 at 10:00, Jane <jane@x.com> wrote:" — mail clients wrap
// the long header, so "wrote:" may end the next line instead.
bool starts_quote_header(const std::vector<std::string_view>& lines, std::size_t i) {
  const std::string_view line = ascii::trim_space(lines[i]);
  if (starts_with_nocase(line, "on ")) {
    if (ends_with_nocase(line, "wrote:")) return true;
    if (i + 1 < lines.size() && ends_with_nocase(ascii::trim_space(lines[i + 1]), "wrote:")) return true;
  }
  if (starts_with_nocase(line, "-----original message-----")) return true;
  // Outlook: a "From:" line followed closely by "Sent:" (or "Date:") heads the quoted mail.
  if (starts_with_nocase(line, "from:")) {
    for (std::size_t j = i + 1; j < lines.size() && j <= i + 4; ++j) {
      const std::string_view next = ascii::trim_space(lines[j]);
      if (starts_with_nocase(next, "sent:") || starts_with_nocase(next, "date:")) return true;
    }
  }
  return false;
}

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x110000) {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Decodes the entity starting at text[0] == '&' into `out`; returns the bytes
// it used, or 0 when it is not one we know (the '&' is then kept as is).
std::size_t decode_entity(std::string_view text, std::string& out) {
  const std::size_t end = text.find(';');
  if (end == std::string_view::npos || end > 10) return 0;
  const std::string name = ascii::lower(text.substr(1, end - 1));
  static constexpr std::pair<std::string_view, std::string_view> kNamed[] = {
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "},
      {"rsquo", "\xE2\x80\x99"}, {"lsquo", "\xE2\x80\x98"}, {"hellip", "..."}};
  for (const auto& [entity, plain] : kNamed) {
    if (name == entity) {
      out += plain;
      return end + 1;
    }
  }
  if (name.size() >= 2 && name[0] == '#') {
    const bool hex = name[1] == 'x';
    const std::string digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    std::uint32_t code = 0;
    for (char c : digits) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) || (!hex && !std::isdigit(static_cast<unsigned char>(c)))) {
        return 0;
      }
      code = code * (hex ? 16 : 10) + static_cast<std::uint32_t>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : c - 'a' + 10);
      if (code > 0x10FFFF) return 0;
    }
    append_utf8(out, code == 0xA0 ? ' ' : code);
    return end + 1;
  }
  return 0;
}

// The tag's name in lower case, without '/' ("br", "/div" → "div").
std::string tag_name(std::string_view tag) {
  std::size_t i = 1;
  if (i < tag.size() && tag[i] == '/') ++i;
  std::size_t start = i;
  while (i < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[i])) != 0)) ++i;
  return ascii::lower(tag.substr(start, i - start));
}

}  // namespace

std::string strip_quoted_text(std::string_view body) {
  const std::vector<std::string_view> lines = split_lines(body);
  std::string kept;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (starts_quote_header(lines, i)) break;
    const std::string_view stripped = ascii::trim_space(lines[i]);
    if (!stripped.empty() && stripped.front() == '>') continue;
    kept.append(lines[i]);
    kept += '\n';
  }
  return std::string(ascii::trim_space(kept));
}

std::string html_to_text(std::string_view html) {
  std::string text;
  int skipped_depth = 0;  // inside <blockquote>, <style>, <script> or <head>
  std::string skipped_tag;
  for (std::size_t i = 0; i < html.size();) {
    const char c = html[i];
    if (c == '<') {
      const std::size_t close = html.find('>', i);
      if (close == std::string_view::npos) break;  // a cut-off tag: the rest is not text
      const std::string_view tag = html.substr(i, close - i + 1);
      const bool closing = tag.size() > 1 && tag[1] == '/';
      const std::string name = tag_name(tag);
      i = close + 1;
      if (skipped_depth > 0) {
        if (name == skipped_tag) skipped_depth += closing ? -1 : 1;
        continue;
      }
      // Gmail and Outlook wrap the quoted mail in a marked element: everything from there on is history.
      const std::string lowered = ascii::lower(tag);
      if (lowered.find("gmail_quote") != std::string::npos || lowered.find("divrplyfwdmsg") != std::string::npos) {
        break;
      }
      if (!closing && (name == "blockquote" || name == "style" || name == "script" || name == "head")) {
        skipped_tag = name;
        skipped_depth = 1;
        continue;
      }
      if (name == "br" || (closing && (name == "p" || name == "div" || name == "li" || name == "tr" ||
                                       name == "h1" || name == "h2" || name == "h3"))) {
        text += '\n';
      }
      continue;
    }
    if (skipped_depth > 0) {
      ++i;
      continue;
    }
    if (c == '&') {
      if (const std::size_t used = decode_entity(html.substr(i), text); used > 0) {
        i += used;
        continue;
      }
    }
    text += (c == '\r' || c == '\n') ? ' ' : c;  // source line breaks are not text breaks in HTML
    ++i;
  }
  // Trailing spaces per line, and blank lines at either end, are layout.
  std::string out;
  for (std::string_view line : split_lines(text)) {
    while (!line.empty() && ascii::is_space(line.back())) line.remove_suffix(1);
    out.append(line);
    out += '\n';
  }
  return std::string(ascii::trim_space(out));
}

std::string reply_text(const Email& email) {
  if (email.body.text && !ascii::trim_space(*email.body.text).empty()) return strip_quoted_text(*email.body.text);
  if (email.body.html && !ascii::trim_space(*email.body.html).empty()) return strip_quoted_text(html_to_text(*email.body.html));
  if (email.content_preview.has_value()) return strip_quoted_text(*email.content_preview);
  return {};
}

}  // namespace instantly::workflows
