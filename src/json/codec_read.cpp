// The reading half of the codec runtime that does not depend on a model
// type: the decode context's errors, scalars, numbers, Json values and
// unknown members. Compiled once; json/codec.hpp declares it.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "json/codec.hpp"

namespace instantly::detail {
namespace {

bool is_plain_name(std::string_view key) {
  auto plain = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  return !key.empty() && std::all_of(key.begin(), key.end(), plain);
}

// Numbers never go through simdjson's number parser: On Demand in 3.0.1
// misreads some doubles (see json_parse.cpp). We take the raw token, check
// it against JSON's grammar (std::from_chars alone would also take "01",
// "1." and "inf") and convert it with std::from_chars.

enum class NumberSyntax { Invalid, Integer, Real };  // Real: has a fraction or an exponent

NumberSyntax classify_number(std::string_view token) {
  std::size_t i = 0;
  auto digit_at = [&token](std::size_t at) {
    return at < token.size() && token[at] >= '0' && token[at] <= '9';
  };
  auto skip_digits = [&] {
    while (digit_at(i)) ++i;
  };
  if (i < token.size() && token[i] == '-') ++i;
  if (!digit_at(i)) return NumberSyntax::Invalid;
  if (token[i] == '0') {
    ++i;  // no leading zeros
  } else {
    skip_digits();
  }
  bool real = false;
  if (i < token.size() && token[i] == '.') {
    if (!digit_at(++i)) return NumberSyntax::Invalid;
    skip_digits();
    real = true;
  }
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
    if (!digit_at(i)) return NumberSyntax::Invalid;
    skip_digits();
    real = true;
  }
  if (i != token.size()) return NumberSyntax::Invalid;
  return real ? NumberSyntax::Real : NumberSyntax::Integer;
}

/// For a valid number std::from_chars found out of range: whether it was too
/// large (|x| >= 1) rather than too small. Only the decimal exponent of the
/// leading significant digit matters, so huge exponents saturate.
bool magnitude_at_least_one(std::string_view token) {
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t i = token[0] == '-' ? 1 : 0;
  // The value is 0.d... x 10^scale, d the first significant digit.
  long long scale = 0;
  if (token[i] != '0') {
    for (; i < token.size() && is_digit(token[i]); ++i) ++scale;
  } else if (++i < token.size() && token[i] == '.') {
    for (++i; i < token.size() && token[i] == '0'; ++i) --scale;
  }
  std::size_t e = token.find_first_of("eE");
  if (e == std::string_view::npos) return scale > 0;
  long long written = 0;
  for (std::size_t k = e + 1; k < token.size(); ++k) {
    if (is_digit(token[k])) written = std::min(written * 10 + (token[k] - '0'), 1'000'000'000LL);
  }
  return scale + (token[e + 1] == '-' ? -written : written) > 0;
}

/// Like std::strtod for a valid JSON number, except that overflow is an
/// error (JSON has no infinity) instead of HUGE_VAL. Underflow gives zero.
std::optional<double> parse_double(std::string_view token) {
  double number = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), number);
  if (error == std::errc() && end == token.data() + token.size()) return number;
  if (error == std::errc::result_out_of_range && !magnitude_at_least_one(token)) {
    return token[0] == '-' ? -0.0 : 0.0;
  }
  return std::nullopt;
}

std::optional<std::int64_t> parse_int64(std::string_view token) {
  std::int64_t number = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), number);
  if (error != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return number;
}

/// A double that is a whole number in int64 range, as an int64.
std::optional<std::int64_t> exact_int64(double number) {
  constexpr double kMin = -9223372036854775808.0;  // -2^63, exact
  constexpr double kEnd = 9223372036854775808.0;   //  2^63, exact
  if (!(number >= kMin && number < kEnd) || std::trunc(number) != number) return std::nullopt;
  return static_cast<std::int64_t>(number);
}

struct NumberToken {
  std::string_view text;
  NumberSyntax syntax;
};

/// Long enough to recognise, short enough for an exception message.
std::string excerpt(std::string_view text) {
  constexpr std::size_t kMax = 40;
  return text.size() <= kMax ? std::string(text) : std::string(text.substr(0, kMax)) + "...";
}

/// The number's raw text, checked against JSON's grammar. Does not consume
/// the value; the enclosing object or array skips it afterwards.
NumberToken read_number_token(ondemand::value json, std::string_view expected, const DecodeContext& ctx) {
  std::string_view text = json.raw_json_token();
  text = text.substr(0, text.find_last_not_of(" \t\n\r") + 1);  // the token runs up to the next one
  NumberSyntax syntax = classify_number(text);
  if (syntax == NumberSyntax::Invalid) {
    ondemand::json_type actual{};
    if (auto error = json.type().get(actual)) ctx.fail_malformed(error);
    if (actual != ondemand::json_type::number) ctx.fail(expected, describe(actual));
    ctx.fail_malformed("invalid number " + excerpt(text));
  }
  return {text, syntax};
}

Json read_json_number(ondemand::value json, const DecodeContext& ctx) {
  NumberToken token = read_number_token(json, "a number", ctx);
  if (token.syntax == NumberSyntax::Integer) {
    if (std::optional<std::int64_t> integer = parse_int64(token.text)) return Json(*integer);
  }
  std::optional<double> real = parse_double(token.text);
  if (!real) ctx.fail("a number within double range", excerpt(token.text));
  return Json(*real);
}

/// Duplicate names are undefined in RFC 8259; like Json::parse we keep the
/// last value, at the position where the name first appeared.
void keep_last_of_duplicate_keys(Json::Object& members) {
  constexpr std::size_t kLinearScanLimit = 16;  // below this a quadratic scan beats hashing
  bool duplicates = false;
  if (members.size() <= kLinearScanLimit) {
    for (std::size_t i = 1; i < members.size() && !duplicates; ++i) {
      for (std::size_t j = 0; j < i && !duplicates; ++j) duplicates = members[i].first == members[j].first;
    }
  } else {
    std::unordered_set<std::string_view> seen;
    seen.reserve(members.size());
    for (const auto& member : members) duplicates = duplicates || !seen.insert(member.first).second;
  }
  if (!duplicates) return;
  Json::Object merged;
  merged.reserve(members.size());  // never reallocates below, so the views stay valid
  std::unordered_map<std::string_view, std::size_t> position;
  for (auto& [key, value] : members) {
    if (auto found = position.find(key); found != position.end()) {
      merged[found->second].second = std::move(value);
    } else {
      merged.emplace_back(std::move(key), std::move(value));
      position.emplace(merged.back().first, merged.size() - 1);
    }
  }
  members = std::move(merged);
}

}  // namespace

// ---- DecodeContext ----------------------------------------------------------------------

std::string DecodeContext::path() const {
  std::string out = "$";
  for (const Segment& segment : segments_) {
    if (segment.is_index) {
      out += '[';
      out += std::to_string(segment.index);
      out += ']';
    } else if (is_plain_name(segment.key)) {
      out += '.';
      out += segment.key;
    } else {
      out += "[\"";
      for (char c : segment.key) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += "\"]";
    }
  }
  return out;
}

void DecodeContext::fail(std::string_view expected, std::string_view got) const {
  fail_with("expected " + std::string(expected) + ", got " + std::string(got));
}

void DecodeContext::fail_malformed(std::string_view detail) const {
  fail_with("malformed JSON: " + std::string(detail));
}

void DecodeContext::fail_malformed(simdjson::error_code error) const {
  // simdjson reports a bad literal (`tru`, `nul`) as a type mismatch.
  fail_malformed(error == simdjson::INCORRECT_TYPE ? "invalid literal" : simdjson::error_message(error));
}

void DecodeContext::fail_with(const std::string& message) const { throw DecodeError(message, path()); }

void DecodeContext::fail_too_deep() const {
  fail_with("JSON nested more than " + std::to_string(kMaxDepth) + " levels deep");
}

// ---- scalars ----------------------------------------------------------------------------

const char* describe(ondemand::json_type type) {
  switch (type) {
    case ondemand::json_type::array: return "an array";
    case ondemand::json_type::object: return "an object";
    case ondemand::json_type::number: return "a number";
    case ondemand::json_type::string: return "a string";
    case ondemand::json_type::boolean: return "a bool";
    case ondemand::json_type::null: return "null";
  }
  return "an unknown value";
}

void fail_read(ondemand::value& json, simdjson::error_code error, ondemand::json_type wanted,
               std::string_view expected, const DecodeContext& ctx) {
  ondemand::json_type actual{};
  if (error == simdjson::INCORRECT_TYPE && !json.type().get(actual) && actual != wanted) {
    ctx.fail(expected, describe(actual));
  }
  ctx.fail_malformed(error);
}

std::string_view read_string(ondemand::value json, const DecodeContext& ctx) {
  std::string_view text;
  if (auto error = json.get_string().get(text)) {
    fail_read(json, error, ondemand::json_type::string, "a string", ctx);
  }
  return text;
}

bool read_bool(ondemand::value json, const DecodeContext& ctx) {
  bool flag = false;
  if (auto error = json.get_bool().get(flag)) {
    fail_read(json, error, ondemand::json_type::boolean, "a bool", ctx);
  }
  return flag;
}

bool read_null(ondemand::value& json, const DecodeContext& ctx) {
  bool null = false;
  if (auto error = json.is_null().get(null)) ctx.fail_malformed(error);
  return null;
}

std::int64_t read_int64(ondemand::value json, std::string_view expected, const DecodeContext& ctx) {
  NumberToken token = read_number_token(json, expected, ctx);
  std::optional<std::int64_t> number;
  if (token.syntax == NumberSyntax::Integer) {
    number = parse_int64(token.text);
  } else if (std::optional<double> real = parse_double(token.text)) {
    number = exact_int64(*real);
  }
  if (!number) ctx.fail(expected, excerpt(token.text));
  return *number;
}

double read_double(ondemand::value json, const DecodeContext& ctx) {
  NumberToken token = read_number_token(json, "a number", ctx);
  std::optional<double> number = parse_double(token.text);
  if (!number) ctx.fail("a number within double range", excerpt(token.text));
  return *number;
}

// ---- the vocabulary codecs' reading side ------------------------------------------------

void Codec<std::string>::read(ondemand::value json, std::string& out, DecodeContext& ctx) {
  out.assign(read_string(json, ctx));
}

void Codec<bool>::read(ondemand::value json, bool& out, DecodeContext& ctx) { out = read_bool(json, ctx); }

void Codec<std::int64_t>::read(ondemand::value json, std::int64_t& out, DecodeContext& ctx) {
  out = read_int64(json, "a 64-bit integer", ctx);
}

void Codec<int>::read(ondemand::value json, int& out, DecodeContext& ctx) {
  static_assert(sizeof(int) == 4, "the messages below say 32-bit");
  std::int64_t number = read_int64(json, "a 32-bit integer", ctx);
  if (number < std::numeric_limits<int>::min() || number > std::numeric_limits<int>::max()) {
    ctx.fail("a 32-bit integer", std::to_string(number));
  }
  out = static_cast<int>(number);
}

void Codec<double>::read(ondemand::value json, double& out, DecodeContext& ctx) { out = read_double(json, ctx); }

void Codec<Json>::read(ondemand::value json, Json& out, DecodeContext& ctx) {
  ondemand::json_type type{};
  if (auto error = json.type().get(type)) ctx.fail_malformed(error);
  switch (type) {
    case ondemand::json_type::object: {
      Json::Object members;
      for_each_field(json, ctx, [&](std::string_view key, ondemand::value member) {
        members.emplace_back(std::string(key), Json());
        read(member, members.back().second, ctx);
      });
      keep_last_of_duplicate_keys(members);
      out = Json(std::move(members));
      return;
    }
    case ondemand::json_type::array: {
      Json::Array items;
      for_each_element(json, ctx, [&](ondemand::value item) { read(item, items.emplace_back(), ctx); });
      out = Json(std::move(items));
      return;
    }
    case ondemand::json_type::number: out = read_json_number(json, ctx); return;
    case ondemand::json_type::string: out = Json(read_string(json, ctx)); return;
    case ondemand::json_type::boolean: out = Json(read_bool(json, ctx)); return;
    case ondemand::json_type::null:
      if (!read_null(json, ctx)) ctx.fail_malformed("invalid literal");
      out = Json();
      return;
  }
  ctx.fail_malformed("unknown value type");
}

void read_page_cursor(ondemand::value json, std::optional<std::string>& out, DecodeContext& ctx) {
  Codec<std::optional<std::string>>::read(json, out, ctx);
  if (out && out->empty()) out.reset();
}

// ---- members of models ------------------------------------------------------------------

void read_extra_field(std::string_view key, ondemand::value json, Json& extra_fields, DecodeContext& ctx) {
  Json value;
  Codec<Json>::read(json, value, ctx);
  if (!extra_fields.is_object()) extra_fields = Json::object();
  if (Json* existing = extra_fields.find(key)) {
    *existing = std::move(value);
  } else {
    extra_fields.as_object().emplace_back(std::string(key), std::move(value));
  }
}

void missing_required(std::string_view field, const DecodeContext& ctx) {
  ctx.fail_with("missing required field \"" + std::string(field) + "\"");
}

}  // namespace instantly::detail
