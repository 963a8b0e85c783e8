// business_from_json: one JSON row of the pipeline's gmaps_businesses table,
// with the leniency such rows need (pandas NaN for empty cells, numbers as text).
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>

#include "instantly/error.hpp"
#include "instantly/workflows/business_lead.hpp"
#include "json/kind_name.hpp"
#include "text/ascii.hpp"

namespace instantly::workflows {
namespace {

using instantly::detail::kind_with_article;

[[noreturn]] void invalid_field(std::string_view field, std::string_view problem) {
  throw ValidationError("business." + std::string(field) + ": " + std::string(problem));
}

bool is_nan(const Json& value) { return value.is_double() && std::isnan(value.as_double()); }

std::optional<std::string> text_field(const Json& row, std::string_view field) {
  const Json* value = row.find(field);
  if (value == nullptr || value->is_null() || is_nan(*value)) return std::nullopt;
  if (!value->is_string()) invalid_field(field, std::string("expected a string or null, got ") + kind_with_article(*value));
  return value->as_string();
}

std::string required_text(const Json& row, std::string_view field) {
  std::optional<std::string> value = text_field(row, field);
  if (!value || ascii::trim_space(*value).empty()) invalid_field(field, "required, must be a non-blank string");
  return *value;
}

// A numeric string as Python's float() reads it (surrounding whitespace, a leading '+');
// nullopt for blank text; NaN/inf come back as such.
std::optional<double> parse_number(std::string_view field, const std::string& raw) {
  std::string_view text = ascii::trim_space(raw);
  if (text.empty()) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    invalid_field(field, "expected a number, got the string \"" + raw + "\"");
  return number;
}

// A finite number from a number or numeric string; nullopt for missing/blank/NaN/inf.
std::optional<double> number_field(const Json& row, std::string_view field) {
  const Json* value = row.find(field);
  if (value == nullptr || value->is_null()) return std::nullopt;
  std::optional<double> number;
  if (value->is_number()) {
    number = value->as_double();
  } else if (value->is_string()) {
    number = parse_number(field, value->as_string());
  } else {
    invalid_field(field, std::string("expected a number, a numeric string or null, got ") + kind_with_article(*value));
  }
  if (!number || !std::isfinite(*number)) return std::nullopt;
  return number;
}

std::optional<std::int64_t> count_field(const Json& row, std::string_view field) {
  const Json* value = row.find(field);
  if (value != nullptr && value->is_int()) return value->as_int();
  if (value != nullptr && value->is_string()) {
    // Whole-range integers first; "127.0" and "1e3" fall through to the number parse.
    std::string_view text = ascii::trim_space(value->as_string());
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    std::int64_t count = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return count;
  }
  std::optional<double> number = number_field(row, field);
  if (!number) return std::nullopt;
  // 2^63 is exactly representable; anything at or beyond it does not fit.
  constexpr double limit = 9223372036854775808.0;
  if (std::trunc(*number) != *number || *number >= limit || *number < -limit)
    invalid_field(field, "expected a whole number, got " + python_float_text(*number));
  return static_cast<std::int64_t>(*number);
}

}  // namespace

Business business_from_json(const Json& row) {
  if (!row.is_object()) {
    throw ValidationError(std::string("business: expected a JSON object, got ") + kind_with_article(row));
  }
  return Business{
      .name = required_text(row, "name"),
      .email = required_text(row, "email"),
      .category = text_field(row, "category"),
      .city = text_field(row, "city"),
      .state = text_field(row, "state"),
      .rating = number_field(row, "rating"),
      .reviews_count = count_field(row, "reviews_count"),
      .phone = text_field(row, "phone"),
      .website = text_field(row, "website"),
      .address = text_field(row, "address"),
      .icebreaker = text_field(row, "icebreaker"),
      .subject_line = text_field(row, "subject_line"),
  };
}

}  // namespace instantly::workflows
