// Open enumerations: named constants for the values the spec lists, while
// any other value the API sends survives decoding and re-encoding.
//
// Integer-valued enums are generated as `enum class X : std::int64_t`, which
// already holds any integer (`static_cast<CampaignStatus>(7)` is fine).
// String-valued enums derive from StringEnum:
//
//   class BackgroundJobStatus : public StringEnum<BackgroundJobStatus> {
//    public:
//     using StringEnum::StringEnum;
//     static const BackgroundJobStatus Success;   // defined inline after the class
//   };
#pragma once

#include <compare>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace instantly {

template <class Derived>
class StringEnum {
 public:
  StringEnum() = default;
  explicit StringEnum(std::string value) : value_(std::move(value)) {}
  explicit StringEnum(const char* value) : value_(value) {}

  /// The wire value, known or not.
  const std::string& value() const noexcept { return value_; }

  friend bool operator==(const Derived& a, const Derived& b) { return a.value_ == b.value_; }
  friend auto operator<=>(const Derived& a, const Derived& b) { return a.value_ <=> b.value_; }
  friend bool operator==(const Derived& a, std::string_view b) { return a.value_ == b; }

 private:
  std::string value_;
};

}  // namespace instantly

template <class T>
  requires std::is_base_of_v<instantly::StringEnum<T>, T>
struct std::hash<T> {
  std::size_t operator()(const T& e) const noexcept { return std::hash<std::string>{}(e.value()); }
};
