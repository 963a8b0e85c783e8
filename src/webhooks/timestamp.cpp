// A small fixed-format reader: Instantly sends e.g. "2024-05-01T12:34:56.789Z".
#include "webhooks/timestamp.hpp"

#include <cstddef>

namespace instantly::webhooks::detail {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool digits(std::size_t count, int& out) noexcept {
    if (pos_ + count > text_.size()) return false;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const char c = text_[pos_ + i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    pos_ += count;
    out = value;
    return true;
  }
  bool accept(char c) noexcept {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool digit_next() const noexcept { return pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; }
  bool done() const noexcept { return pos_ == text_.size(); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<Micros> parse_iso8601(std::string_view text) noexcept {
  using namespace std::chrono;
  Reader in(text);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!in.digits(4, y) || !in.accept('-') || !in.digits(2, mo) || !in.accept('-') || !in.digits(2, d)) return std::nullopt;
  if (!in.accept('T') && !in.accept('t') && !in.accept(' ')) return std::nullopt;
  if (!in.digits(2, h) || !in.accept(':') || !in.digits(2, mi)) return std::nullopt;
  long long fraction_us = 0;
  if (in.accept(':')) {
    if (!in.digits(2, s)) return std::nullopt;
    if (in.accept('.') || in.accept(',')) {
      if (!in.digit_next()) return std::nullopt;
      long long scale = 100000;
      int digit = 0;
      while (in.digit_next()) {
        in.digits(1, digit);
        fraction_us += digit * scale;
        scale /= 10;
      }
    }
  }
  int offset_minutes = 0;
  if (!in.accept('Z') && !in.accept('z')) {
    int sign = 0;
    if (in.accept('+')) sign = 1;
    else if (in.accept('-')) sign = -1;
    if (sign != 0) {
      int oh = 0, om = 0;
      if (!in.digits(2, oh)) return std::nullopt;
      in.accept(':');
      if (!in.digits(2, om) || oh > 23 || om > 59) return std::nullopt;
      offset_minutes = sign * (oh * 60 + om);
    }
  }
  if (!in.done()) return std::nullopt;
  if (h > 23 || mi > 59 || s > 60) return std::nullopt;  // 60: a leap second, read as :59 + 1 s

  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  const sys_days days{date};
  return Micros(duration_cast<microseconds>(days.time_since_epoch()) + hours(h) + minutes(mi) + seconds(s) -
                minutes(offset_minutes) + microseconds(fraction_us));
}

}  // namespace instantly::webhooks::detail
