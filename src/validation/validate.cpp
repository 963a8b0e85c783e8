// The interpreter for schema.hpp: walks a Json value and a Schema tree side by
// side and writes one plain-words Issue per broken rule.
//
// Sections: compile-once caches (patterns, enum lists), wording, loose format
// checks, the checker itself, query-string conversion, and the exception.
#include "validation/validate.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdint>
#include <cmath>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "instantly/error.hpp"

namespace instantly::detail::validation {
namespace {

// ---------------------------------------------------------------------------
// Compile-once caches
// ---------------------------------------------------------------------------

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

// Looked up by the text's address first: schema text is static data (schema.hpp), so an
// address names one text for the life of the process, and a pointer hash is far cheaper than
// hashing the text (the time-zone enum is 2 KB, checked on every schedule). Built by the text
// itself, so equal patterns on different nodes share one compiled regex.
template <class Value>
class BuildOnceCache {
 public:
  template <class Build>
  const Value& get(const char* key, Build build) {
    {
      std::shared_lock lock(mutex_);
      if (auto found = by_address_.find(key); found != by_address_.end()) return *found->second;
    }
    std::unique_lock lock(mutex_);
    // Another thread may have built it between the two locks.
    if (auto found = by_address_.find(key); found != by_address_.end()) return *found->second;
    const Value& value = built(key, build);
    by_address_.emplace(key, &value);
    return value;
  }

  /// By the text alone, for text that is not static (never remembered by address).
  template <class Build>
  const Value& get_text(std::string_view text, Build build) {
    std::unique_lock lock(mutex_);
    return built(text, build);
  }

 private:
  // Call with the lock held. Built under the lock so that each text is built exactly once.
  template <class Build>
  const Value& built(std::string_view text, Build build) {
    auto found = by_text_.find(text);
    if (found == by_text_.end()) {
      found = by_text_.emplace(std::string(text), std::make_unique<const Value>(build(text))).first;
    }
    return *found->second;
  }

  std::shared_mutex mutex_;
  std::unordered_map<const char*, const Value*> by_address_;
  std::unordered_map<std::string, std::unique_ptr<const Value>, TextHash, std::equal_to<>> by_text_;
};

struct CompiledPattern {
  std::optional<std::regex> regex;  ///< empty: std::regex cannot compile it; not checked
  /// Compiled for libstdc++'s recursive matcher, which uses one stack frame
  /// per input character: long inputs would overflow the stack.
  bool recursive_matcher = false;
};

// Longest input handed to a recursive matcher (a few hundred KB of stack at most).
constexpr std::size_t kMaxRecursiveMatchInput = 1000;

std::atomic<std::size_t> pattern_compilations{0};

CompiledPattern compile_pattern(std::string_view text) {
  pattern_compilations.fetch_add(1, std::memory_order_relaxed);
  const std::string source(text);
  CompiledPattern compiled;
#if defined(__GLIBCXX__)
  // libstdc++'s default matcher recurses once per input character and crashes
  // on strings of ~100k characters. Its polynomial mode runs a state-set
  // (Thompson) matcher instead: linear time, flat stack. It only refuses
  // back-references, which fall through to the recursive matcher below.
  try {
    compiled.regex.emplace(source, std::regex::ECMAScript | std::regex_constants::__polynomial);
    return compiled;
  } catch (const std::regex_error&) {
  }
  compiled.recursive_matcher = true;
#endif
  try {
    compiled.regex.emplace(source, std::regex::ECMAScript);
  } catch (const std::regex_error&) {
    compiled.regex.reset();  // remembered as unusable: the pattern check is skipped
  }
  return compiled;
}

// Never destroyed: a detached thread may still validate while statics are torn down.
BuildOnceCache<CompiledPattern>& pattern_cache() {
  static auto* cache = new BuildOnceCache<CompiledPattern>();
  return *cache;
}

const CompiledPattern& cached_pattern(const char* text) { return pattern_cache().get(text, compile_pattern);
}

struct EnumValues {
  std::optional<Json::Array> values;  ///< empty: the text is not a JSON array; not checked
};

EnumValues parse_enum(std::string_view text) {
  try {
    Json parsed = Json::parse(text);
    if (parsed.is_array()) return {std::move(parsed.as_array())};
  } catch (const instantly::Error&) {
  }
  return {};
}

BuildOnceCache<EnumValues>& enum_cache() {
  static auto* cache = new BuildOnceCache<EnumValues>();
  return *cache;
}

// ---------------------------------------------------------------------------
// Wording
// ---------------------------------------------------------------------------

// The value's JSON type, as messages say it after "got".
const char* type_name(const Json& value) {
  switch (value.kind()) {
    case Json::Kind::Null: return "null";
    case Json::Kind::Bool: return "boolean";
    case Json::Kind::Int:
    case Json::Kind::Double: return "number";
    case Json::Kind::String: return "string";
    case Json::Kind::Array: return "array";
    case Json::Kind::Object: return "object";
  }
  return "unknown";
}

// "a string", "a string or null", "a string, an array or null".
std::string expected_types(TypeSet types) {
  std::vector<const char*> words;
  if (types.has(kString)) words.push_back("a string");
  if (types.has(kNumber)) {
    words.push_back("a number");
  } else if (types.has(kInteger)) {
    words.push_back("an integer");
  }
  if (types.has(kBoolean)) words.push_back("a boolean");
  if (types.has(kArray)) words.push_back("an array");
  if (types.has(kObject)) words.push_back("an object");
  if (types.has(kNull)) words.push_back("null");
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) text += (i + 1 == words.size()) ? " or " : ", ";
    text += words[i];
  }
  return text;
}

// "1 item", "3 items".
std::string counted(std::size_t count, std::string_view noun) {
  std::string text = std::to_string(count) + ' ';
  text += noun;
  if (count != 1) text += 's';
  return text;
}

// Bounds come in as doubles; most are whole numbers and read better without ".0".
std::string number_text(double number) {
  if (std::trunc(number) == number && std::fabs(number) < 1e15) {
    return std::to_string(static_cast<long long>(number));
  }
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
  return std::string(buffer, result.ptr);
}

// Cuts at a UTF-8 character boundary so the message stays valid text.
std::string shortened(std::string text, std::size_t limit = 40) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit - 3;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "...";
}

// A value as it appears after "got": JSON text, kept short.
std::string value_text(const Json& value) { return shortened(value.dump()); }

// "must be one of "a", "b"", or for long lists a few examples and the count.
std::string enum_rule(const Json::Array& allowed) {
  constexpr std::size_t kShown = 8;
  if (allowed.size() == 1) return "must be " + value_text(allowed.front());
  std::string shown;
  for (std::size_t i = 0; i < allowed.size() && i < kShown; ++i) {
    if (i > 0) shown += ", ";
    shown += value_text(allowed[i]);
  }
  if (allowed.size() <= kShown) return "must be one of " + shown;
  return "must be one of the " + std::to_string(allowed.size()) + " allowed values, such as " + shown;
}

// "a, b and c" / "a or b".
std::string names_text(std::span<const char* const> names, std::string_view conjunction) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      text += (i + 1 == names.size()) ? " " + std::string(conjunction) + " " : ", ";
    }
    text += names[i];
  }
  return text;
}

// A schema that only lists required members: `{required: [a, b]}`.
bool only_requires(const Schema& schema) {
  return !schema.required.empty() && (schema.types.any() || schema.types == kObject) &&
         schema.properties.empty() && schema.additional_properties == nullptr && !schema.min_properties &&
         schema.all_of.empty() && schema.any_of.empty() && schema.one_of.empty() &&
         schema.not_schema == nullptr && schema.if_schema == nullptr && !schema.never;
}

// JSON Schema lengths are in characters (code points), not bytes.
std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// ---------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------

bool is_identifier(std::string_view key) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (key.empty() || !letter(key.front())) return false;
  return std::all_of(key.begin(), key.end(), [&](char c) { return letter(c) || digit(c); });
}

// `.name` for plain keys, `["0"]` / `["first name"]` for the rest, so a path
// can always be read back unambiguously.
void append_key(std::string& path, std::string_view key) {
  if (is_identifier(key)) {
    path += '.';
    path += key;
  } else {
    path += '[';
    path += Json(key).dump();
    path += ']';
  }
}

void append_index(std::string& path, std::size_t index) {
  path += '[';
  path += std::to_string(index);
  path += ']';
}

std::string key_path(std::string_view root, std::string_view key) {
  std::string path(root);
  append_key(path, key);
  return path;
}

// Where the checker stands, kept as segments and written out only for an issue: most values
// pass, and writing "body.leads[412].custom_variables.city" for each of them cost about as much
// as checking it. Keys are views into the document or the schema, both alive for the walk.
class Path {
 public:
  explicit Path(std::string_view root) : root_(root) {}

  void push(std::string_view key) { segments_.push_back({key, 0, false}); }
  void push(std::size_t index) { segments_.push_back({{}, index, true}); }
  void pop() noexcept { segments_.pop_back(); }

  std::string text() const {
    std::string out(root_);
    for (const Segment& segment : segments_) {
      if (segment.is_index) {
        append_index(out, segment.index);
      } else {
        append_key(out, segment.key);
      }
    }
    return out;
  }

 private:
  struct Segment {
    std::string_view key;
    std::size_t index;
    bool is_index;
  };
  std::string_view root_;
  std::vector<Segment> segments_;
};

// One step down the path for as long as a child's check runs.
class PathScope {
 public:
  PathScope(Path& path, std::string_view key) : path_(path) { path.push(key); }
  PathScope(Path& path, std::size_t index) : path_(path) { path.push(index); }
  ~PathScope() { path_.pop(); }
  PathScope(const PathScope&) = delete;
  PathScope& operator=(const PathScope&) = delete;

 private:
  Path& path_;
};

// ---------------------------------------------------------------------------
// Loose format checks: catch obvious mistakes, never reject what the API may take
// ---------------------------------------------------------------------------

bool looks_like_email(std::string_view text) {
  const std::size_t at = text.find('@');
  if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = text.substr(at + 1);
  return domain.size() >= 3 && domain.front() != '.' && domain.back() != '.' &&
         domain.find('.') != std::string_view::npos;
}

// Reads `count` digits at `pos` into `value`; false if any is not a digit.
bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

// YYYY-MM-DD at the start of `text`.
bool starts_with_date(std::string_view text) {
  int year = 0, month = 0, day = 0;
  return read_digits(text, 0, 4, year) && text.size() >= 10 && text[4] == '-' &&
         read_digits(text, 5, 2, month) && text[7] == '-' && read_digits(text, 8, 2, day) &&
         month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool looks_like_date(std::string_view text) { return text.size() == 10 && starts_with_date(text); }

// Date, 'T' (or a space), HH:MM, then optional :SS, fraction and zone.
bool looks_like_date_time(std::string_view text) {
  int hour = 0, minute = 0, second = 0;
  if (!starts_with_date(text) || text.size() < 16) return false;
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return false;
  if (!read_digits(text, 11, 2, hour) || text[13] != ':' || !read_digits(text, 14, 2, minute)) return false;
  if (hour > 23 || minute > 59) return false;
  std::size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!read_digits(text, pos + 1, 2, second) || second > 60) return false;  // 60: leap second
    pos += 3;
    if (pos < text.size() && text[pos] == '.') {
      const std::size_t digits_start = ++pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (pos == digits_start) return false;
    }
  }
  if (pos == text.size()) return true;  // no zone: loosely accepted
  if (text[pos] == 'Z' || text[pos] == 'z') return pos + 1 == text.size();
  if (text[pos] != '+' && text[pos] != '-') return false;
  int zone_hour = 0, zone_minute = 0;
  if (!read_digits(text, pos + 1, 2, zone_hour)) return false;
  pos += 3;
  if (pos < text.size() && text[pos] == ':') ++pos;
  return read_digits(text, pos, 2, zone_minute) && pos + 2 == text.size() && zone_hour <= 23 &&
         zone_minute <= 59;
}

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

bool is_whole(double number) { return std::isfinite(number) && std::trunc(number) == number; }

bool type_matches(const Json& value, TypeSet types) {
  if (types.any()) return true;
  switch (value.kind()) {
    case Json::Kind::Null: return types.has(kNull);
    case Json::Kind::Bool: return types.has(kBoolean);
    case Json::Kind::Int: return types.has(kInteger | kNumber);
    case Json::Kind::Double:
      return types.has(kNumber) || (types.has(kInteger) && is_whole(value.as_double()));
    case Json::Kind::String: return types.has(kString);
    case Json::Kind::Array: return types.has(kArray);
    case Json::Kind::Object: return types.has(kObject);
  }
  return false;
}

// Whether `schema` could accept a value of this JSON type at all: tells the
// anyOf branch the caller was aiming for apart from the others.
bool accepts_type_of(const Schema& schema, const Json& value) {
  if (schema.never || !type_matches(value, schema.types)) return false;
  auto accepts = [&](const Schema* branch) { return accepts_type_of(*branch, value); };
  if (!std::all_of(schema.all_of.begin(), schema.all_of.end(), accepts)) return false;
  for (auto branches : {schema.any_of, schema.one_of}) {
    if (!branches.empty() && std::none_of(branches.begin(), branches.end(), accepts)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// The checker
// ---------------------------------------------------------------------------

class Checker {
 public:
  Checker(std::vector<Issue>& issues, std::size_t limit) : issues_(issues), limit_(limit) {}

  bool full() const { return issues_.size() >= limit_; }

  void check(const Json& value, const Schema& schema, Path& path) {
    if (full()) return;
    if (schema.never) {
      report(path, "is not allowed");
      return;
    }
    if (!type_matches(value, schema.types)) {
      report_type(value, schema.types, path);
      return;  // the remaining keywords only make sense for the right type
    }
    if (schema.enum_json != nullptr) check_enum(value, schema.enum_json, path);
    switch (value.kind()) {
      case Json::Kind::String: check_string(value.as_string(), schema, path); break;
      case Json::Kind::Int:
      case Json::Kind::Double: check_number(value, schema, path); break;
      case Json::Kind::Array: check_array(value.as_array(), schema, path); break;
      case Json::Kind::Object: check_object(value, schema, path); break;
      case Json::Kind::Null:
      case Json::Kind::Bool: break;
    }
    for (const Schema* part : schema.all_of) check(value, *part, path);
    check_alternatives(value, schema.any_of, path);
    check_alternatives(value, schema.one_of, path);
    if (schema.not_schema != nullptr && matches(value, *schema.not_schema)) {
      report_excluded(*schema.not_schema, path);
    }
    if (schema.if_schema != nullptr) {
      const Schema* branch = matches(value, *schema.if_schema) ? schema.then_schema : schema.else_schema;
      if (branch != nullptr) check(value, *branch, path);
    }
  }

 private:
  void report(const Path& path, std::string_view rule) {
    if (full()) return;
    std::string where = path.text();
    std::string message = where;
    message += ' ';
    message += rule;
    issues_.push_back({std::move(where), std::move(message)});
  }

  void report_type(const Json& value, TypeSet types, const Path& path) {
    // "must be an integer (got 1.5)" says more than "(got number)".
    const bool fraction = value.is_double() && types.has(kInteger) && !types.has(kNumber);
    report(path, "must be " + expected_types(types) + " (got " +
                     (fraction ? value_text(value) : std::string(type_name(value))) + ")");
  }

  void check_enum(const Json& value, const char* enum_json, const Path& path) {
    const EnumValues& allowed = enum_cache().get(enum_json, parse_enum);
    if (!allowed.values) return;
    const Json::Array& values = *allowed.values;
    if (std::find(values.begin(), values.end(), value) != values.end()) return;
    report(path, enum_rule(values) + " (got " + value_text(value) + ")");
  }

  void check_string(const std::string& text, const Schema& schema, const Path& path) {
    if (schema.min_length || schema.max_length) {
      const std::size_t length = code_points(text);
      if (schema.min_length && length < *schema.min_length) {
        report(path, "must be at least " + counted(*schema.min_length, "character") + " long (got " +
                         std::to_string(length) + ")");
      }
      if (schema.max_length && length > *schema.max_length) {
        report(path, "must be at most " + counted(*schema.max_length, "character") + " long (got " +
                         std::to_string(length) + ")");
      }
    }
    if (schema.pattern != nullptr && !matches_pattern(text, schema.pattern)) {
      report(path, std::string("must match the pattern ") + schema.pattern);
    }
    switch (schema.format) {
      case Format::Email:
        if (!looks_like_email(text)) report(path, "must be a valid email address");
        break;
      case Format::Date:
        if (!looks_like_date(text)) report(path, "must be a date like 2026-01-31");
        break;
      case Format::DateTime:
        if (!looks_like_date_time(text)) report(path, "must be a date-time like 2026-01-31T09:30:00Z");
        break;
      case Format::None: break;
    }
  }

  static bool matches_pattern(const std::string& text, const char* pattern) {
    const CompiledPattern& compiled = cached_pattern(pattern);
    if (!compiled.regex) return true;  // std::regex cannot compile it: not checked
    if (compiled.recursive_matcher && text.size() > kMaxRecursiveMatchInput) return true;
    return std::regex_search(text.begin(), text.end(), *compiled.regex);
  }

  void check_number(const Json& value, const Schema& schema, const Path& path) {
    const double number = value.as_double();
    if (schema.minimum && number < *schema.minimum) {
      report(path, "must be at least " + number_text(*schema.minimum) + " (got " + value_text(value) + ")");
    }
    if (schema.maximum && number > *schema.maximum) {
      report(path, "must be at most " + number_text(*schema.maximum) + " (got " + value_text(value) + ")");
    }
  }

  void check_array(const Json::Array& items, const Schema& schema, Path& path) {
    if (schema.min_items && items.size() < *schema.min_items) {
      report(path, "must have at least " + counted(*schema.min_items, "item") + " (got " +
                       std::to_string(items.size()) + ")");
    }
    if (schema.max_items && items.size() > *schema.max_items) {
      report(path, "must have at most " + counted(*schema.max_items, "item") + " (got " +
                       std::to_string(items.size()) + ")");
    }
    if (schema.contains != nullptr &&
        std::none_of(items.begin(), items.end(), [&](const Json& item) { return matches(item, *schema.contains); })) {
      report(path, "must have at least one item of the required shape (none of its " +
                       counted(items.size(), "item") + " is)");
    }
    if (schema.unique_items) check_unique(items, path);
    if (schema.items == nullptr) return;
    for (std::size_t i = 0; i < items.size() && !full(); ++i) {
      PathScope scope(path, i);
      check(items[i], *schema.items, path);
    }
  }

  // Quadratic, but request arrays are short (at most a few thousand items) and
  // most items differ in their first bytes.
  void check_unique(const Json::Array& items, const Path& path) {
    for (std::size_t later = 1; later < items.size(); ++later) {
      for (std::size_t earlier = 0; earlier < later; ++earlier) {
        if (items[earlier] == items[later]) {
          report(path, "must not repeat an item (item " + std::to_string(later) + " repeats item " +
                           std::to_string(earlier) + ": " + value_text(items[later]) + ")");
          return;
        }
      }
    }
  }

  static const Property* find_property(const Schema& schema, std::string_view name) {
    for (const Property& property : schema.properties) {
      if (name == property.name) return &property;
    }
    return nullptr;
  }

  void check_object(const Json& value, const Schema& schema, Path& path) {
    for (const char* name : schema.required) {
      if (value.contains(name)) continue;
      const Property* property = find_property(schema, name);
      // A read-only member is the server's to fill in; a request never needs it.
      if (property != nullptr && property->schema != nullptr && property->schema->read_only) continue;
      PathScope scope(path, name);
      report(path, "is required");
    }
    const Json::Object& members = value.as_object();
    if (schema.min_properties && members.size() < *schema.min_properties) {
      report(path, "must have at least " + counted(*schema.min_properties, "field") + " (got " +
                       std::to_string(members.size()) + ")");
    }
    for (const auto& [key, member] : members) {
      if (full()) return;
      PathScope scope(path, key);
      if (const Property* property = find_property(schema, key)) {
        const Schema& member_schema = property->schema != nullptr ? *property->schema : kAnyValue;
        if (member_schema.read_only) {
          report(path, "is read-only");
        } else {
          check(member, member_schema, path);
        }
      } else if (schema.additional_properties == nullptr) {
        continue;
      } else if (schema.additional_properties->never) {
        report(path, "is not allowed (unknown field)");
      } else {
        check(member, *schema.additional_properties, path);
      }
    }
  }

  static bool matches(const Json& value, const Schema& schema) {
    std::vector<Issue> scratch;
    Checker probe(scratch, 1);  // pass or fail is all we need: stop at the first issue
    Path path("");
    probe.check(value, schema, path);
    return scratch.empty();
  }

  // `not`: says which members may not come together when the excluded shape is
  // a plain list of names, the spec's way of writing "a or b, not both".
  void report_excluded(const Schema& excluded, Path& path) {
    if (!only_requires(excluded)) {
      report(path, "is not allowed in this form");
      return;
    }
    if (excluded.required.size() == 1) {
      PathScope scope(path, excluded.required.front());
      report(path, "is not allowed here");
      return;
    }
    report(path, "must not have " + std::string(excluded.required.size() == 2 ? "both " : "all of ") +
                     names_text(excluded.required, "and"));
  }

  // anyOf and oneOf alike: one matching branch is enough (see schema.hpp).
  void check_alternatives(const Json& value, std::span<const Schema* const> branches, Path& path) {
    if (branches.empty() || full()) return;
    if (std::any_of(branches.begin(), branches.end(), [&](const Schema* b) { return matches(value, *b); })) {
      return;
    }
    if (value.is_object() && std::all_of(branches.begin(), branches.end(), [](const Schema* b) {
          return only_requires(*b) && b->required.size() == 1;
        })) {
      std::vector<const char*> names;
      for (const Schema* branch : branches) names.push_back(branch->required.front());
      report(path, "must have " + std::string(names.size() == 2 ? "either " : "one of ") + names_text(names, "or"));
      return;
    }
    std::vector<const Schema*> candidates;
    TypeSet declared;
    bool some_branch_any_type = false;
    for (const Schema* branch : branches) {
      if (accepts_type_of(*branch, value)) candidates.push_back(branch);
      declared = declared | branch->types;
      some_branch_any_type = some_branch_any_type || branch->types.any();
    }
    if (candidates.size() == 1) {
      check(value, *candidates.front(), path);  // the branch the caller meant: its issues are the useful ones
    } else if (candidates.empty() && !some_branch_any_type) {
      report_type(value, declared, path);
    } else {
      report(path, "does not match any allowed shape");
    }
  }

  std::vector<Issue>& issues_;
  std::size_t limit_;
};

// ---------------------------------------------------------------------------
// Query strings
// ---------------------------------------------------------------------------

// The types a query value may convert to. A node without `type` that is only
// a list of alternatives (`anyOf: [{type: integer}, {type: string}]`) takes
// the union of its branches.
TypeSet scalar_types(const Schema* schema) {
  if (schema == nullptr) return {};
  if (!schema->types.any()) return schema->types;
  if (schema->any_of.empty() && schema->one_of.empty()) return {};
  TypeSet types;
  for (auto branches : {schema->any_of, schema->one_of}) {
    for (const Schema* branch : branches) {
      const TypeSet branch_types = scalar_types(branch);
      if (branch_types.any()) return {};  // one branch takes anything: so does the node
      types = types | branch_types;
    }
  }
  return types;
}

bool whole_text(std::string_view text, const std::from_chars_result& result) {
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

// Converts one query value to the first type of its schema it reads as:
// numbers, then booleans, then null, then the text itself. Nothing when the
// schema allows no type the text reads as.
std::optional<Json> convert_query_value(std::string_view text, TypeSet types) {
  if (types.any()) return Json(text);
  if (types.has(kInteger | kNumber) && !text.empty()) {
    std::int64_t integer = 0;
    if (whole_text(text, std::from_chars(text.data(), text.data() + text.size(), integer))) {
      return Json(integer);
    }
    double number = 0;
    if (whole_text(text, std::from_chars(text.data(), text.data() + text.size(), number)) &&
        std::isfinite(number)) {
      return Json(number);
    }
  }
  if (types.has(kBoolean) && (text == "true" || text == "false")) return Json(text == "true");
  if (types.has(kNull) && !types.has(kString) && text == "null") return Json(nullptr);
  if (types.has(kString)) return Json(text);
  return std::nullopt;
}

void append_capped(std::vector<Issue>& issues, std::vector<Issue> more) {
  for (Issue& issue : more) {
    if (issues.size() >= kMaxIssues) return;
    issues.push_back(std::move(issue));
  }
}

void add_issue(std::vector<Issue>& issues, std::string path, std::string_view rule) {
  if (issues.size() >= kMaxIssues) return;
  std::string message = path;
  message += ' ';
  message += rule;
  issues.push_back({std::move(path), std::move(message)});
}

// Converts each text to `types`; reports the ones that do not convert.
std::optional<Json::Array> convert_all(const std::vector<std::string_view>& texts, TypeSet types,
                                       const std::string& path, bool indexed,
                                       std::vector<Issue>& issues) {
  Json::Array converted;
  bool all_converted = true;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (auto value = convert_query_value(texts[i], types)) {
      converted.push_back(std::move(*value));
      continue;
    }
    all_converted = false;
    std::string item_path = path;
    if (indexed) append_index(item_path, i);
    add_issue(issues, std::move(item_path),
              "must be " + expected_types(types) + " (got " + shortened(Json(texts[i]).dump()) + ")");
  }
  if (!all_converted) return std::nullopt;
  return converted;
}

bool is_known_parameter(std::span<const QueryParam> params, std::string_view key) {
  return std::any_of(params.begin(), params.end(), [&](const QueryParam& p) { return key == p.name; });
}

}  // namespace

std::vector<Issue> validate(const Json& value, const Schema& schema, std::string_view root) {
  std::vector<Issue> issues;
  Checker checker(issues, kMaxIssues);
  Path path(root);
  checker.check(value, schema, path);
  return issues;
}

std::vector<Issue> validate_query(const std::vector<std::pair<std::string, std::string>>& query,
                                  std::span<const QueryParam> params) {
  std::vector<Issue> issues;
  std::vector<std::string_view> unknown_reported;
  for (const auto& entry : query) {
    const std::string& key = entry.first;
    if (is_known_parameter(params, key)) continue;
    if (std::find(unknown_reported.begin(), unknown_reported.end(), key) != unknown_reported.end()) continue;
    unknown_reported.push_back(key);
    add_issue(issues, key_path("query", key), "is not allowed (unknown field)");
  }

  for (const QueryParam& param : params) {
    std::vector<std::string_view> texts;
    for (const auto& [key, text] : query) {
      if (key == param.name) texts.push_back(text);
    }
    const std::string path = key_path("query", param.name);
    if (texts.empty()) {
      if (param.required) add_issue(issues, path, "is required");
      continue;
    }
    const Schema& schema = param.schema != nullptr ? *param.schema : kAnyValue;
    if (param.repeated) {
      auto items = convert_all(texts, scalar_types(schema.items), path, /*indexed=*/true, issues);
      if (items) append_capped(issues, validate(Json(std::move(*items)), schema, path));
    } else if (texts.size() > 1) {
      add_issue(issues, path, "must be given only once (got " + std::to_string(texts.size()) + " values)");
    } else {
      auto value = convert_all(texts, scalar_types(&schema), path, /*indexed=*/false, issues);
      if (value) append_capped(issues, validate(value->front(), schema, path));
    }
  }
  return issues;
}

std::string describe_issues(const std::vector<Issue>& issues) {
  std::string text;
  for (const Issue& issue : issues) {
    if (!text.empty()) text += "; ";
    text += issue.message;
  }
  return text;
}

void throw_validation_error(std::string_view operation, const std::vector<Issue>& issues) {
  std::string message = "invalid request for ";
  message += operation;
  if (!issues.empty()) message += ": " + describe_issues(issues);
  throw ValidationError(message);
}

bool pattern_is_usable(std::string_view pattern) {
  return pattern_cache().get_text(pattern, compile_pattern).regex.has_value();
}

std::size_t pattern_compile_count() noexcept {
  return pattern_compilations.load(std::memory_order_relaxed);
}

}  // namespace instantly::detail::validation
