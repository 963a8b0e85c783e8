// instantly::Nullable<T> — a field that can be absent, null, or a value.
//
// The API tells the three apart: in a PATCH, an absent field is left alone
// and `null` clears it. `std::optional` has only two states, so fields whose
// schema admits null use this instead.
//
//   CampaignUpdateParams patch;
//   patch.daily_limit = 50;                               // set
//   patch.text_only = instantly::null;                    // clear (sends "text_only": null)
//   // patch.email_gap left absent: not sent at all
#pragma once

#include <compare>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <utility>

namespace instantly {

/// Tag for "explicitly null"; `instantly::null` is its only value.
struct NullType {
  constexpr explicit NullType(int) {}
  friend constexpr bool operator==(NullType, NullType) { return true; }
};
inline constexpr NullType null{0};

template <class T>
class Nullable {
 public:
  enum class State { Absent, Null, Value };

  constexpr Nullable() = default;
  constexpr Nullable(NullType) : state_(State::Null) {}
  constexpr Nullable(std::nullptr_t) : state_(State::Null) {}
  template <class U = T>
    requires std::is_constructible_v<T, U&&> && (!std::is_same_v<std::remove_cvref_t<U>, Nullable>) &&
             (!std::is_same_v<std::remove_cvref_t<U>, NullType>) &&
             (!std::is_same_v<std::remove_cvref_t<U>, std::nullptr_t>)
  constexpr Nullable(U&& value) : state_(State::Value), value_(std::forward<U>(value)) {}

  constexpr State state() const noexcept { return state_; }
  constexpr bool is_absent() const noexcept { return state_ == State::Absent; }
  constexpr bool is_null() const noexcept { return state_ == State::Null; }
  constexpr bool has_value() const noexcept { return state_ == State::Value; }
  /// True unless absent: whether the field is written to JSON at all.
  constexpr bool is_present() const noexcept { return state_ != State::Absent; }

  /// The value; throws std::logic_error when absent or null.
  constexpr const T& value() const& {
    if (!has_value()) throw std::logic_error(is_null() ? "Nullable is null" : "Nullable is absent");
    return *value_;
  }
  constexpr T& value() & {
    if (!has_value()) throw std::logic_error(is_null() ? "Nullable is null" : "Nullable is absent");
    return *value_;
  }
  constexpr const T& operator*() const& { return *value_; }
  constexpr T& operator*() & { return *value_; }
  constexpr const T* operator->() const { return &*value_; }
  constexpr T* operator->() { return &*value_; }
  template <class U>
  constexpr T value_or(U&& fallback) const {
    return has_value() ? *value_ : static_cast<T>(std::forward<U>(fallback));
  }

  /// The value as an optional (absent and null both become empty).
  constexpr std::optional<T> to_optional() const { return value_; }

  constexpr void reset() noexcept {
    state_ = State::Absent;
    value_.reset();
  }
  constexpr void set_null() noexcept {
    state_ = State::Null;
    value_.reset();
  }
  template <class... Args>
  constexpr T& emplace(Args&&... args) {
    state_ = State::Value;
    return value_.emplace(std::forward<Args>(args)...);
  }

  friend constexpr bool operator==(const Nullable& a, const Nullable& b) {
    return a.state_ == b.state_ && (a.state_ != State::Value || *a.value_ == *b.value_);
  }
  friend constexpr bool operator==(const Nullable& a, NullType) { return a.is_null(); }

 private:
  State state_ = State::Absent;
  std::optional<T> value_;
};

}  // namespace instantly
