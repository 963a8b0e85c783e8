// parse_retry_after: the server's Retry-After header decides how long the
// client sleeps, so a hostile or broken value must never crash it, overflow,
// or ask for a negative wait.
//
// Invariants: a result is never negative; delta-seconds are capped (1e9 s);
// the same text read at a later "now" never asks for a longer wait.
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "core/retry_policy.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using std::chrono::milliseconds;
  using std::chrono::system_clock;
  using instantly::fuzz::require;
  const auto text = instantly::fuzz::as_text(data, size);
  // A fixed "now" (2023-11-14T22:13:20Z) keeps runs reproducible.
  const system_clock::time_point now{std::chrono::seconds(1'700'000'000)};
  instantly::fuzz::expect_only_library_errors([&] {
    const auto wait = instantly::detail::parse_retry_after(text, now);
    if (!wait) return;
    require(*wait >= milliseconds(0), "a negative Retry-After wait");
    const auto later = instantly::detail::parse_retry_after(text, now + std::chrono::hours(1));
    require(later.has_value(), "a Retry-After value read once is unreadable an hour later");
    require(*later <= *wait, "the same Retry-After asks for a longer wait later");
  });
  return 0;
}
