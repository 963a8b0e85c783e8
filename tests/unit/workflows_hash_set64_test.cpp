// The importer's duplicate detector: a flat set of 64-bit hashes.
#include <doctest/doctest.h>

#include <cstdint>

#include "workflows/hash_set64.hpp"

using instantly::workflows::detail::HashSet64;

TEST_CASE("hash set: every distinct hash is new once, through many growths") {
  HashSet64 set;
  constexpr std::uint64_t kCount = 200'000;
  std::uint64_t fresh = 0;
  // Multiples of a large odd number: the low bits alone would collide a lot.
  for (std::uint64_t i = 1; i <= kCount; ++i) fresh += set.insert(i * 0x9e3779b97f4a7c15ULL) ? 1 : 0;
  CHECK(fresh == kCount);
  CHECK(set.size() == kCount);
  std::uint64_t again = 0;
  for (std::uint64_t i = 1; i <= kCount; ++i) again += set.insert(i * 0x9e3779b97f4a7c15ULL) ? 1 : 0;
  CHECK(again == 0);
  CHECK(set.size() == kCount);
}

TEST_CASE("hash set: 0 is a value too (stored as 1)") {
  HashSet64 set;
  CHECK(set.insert(0));
  CHECK_FALSE(set.insert(0));
  CHECK_FALSE(set.insert(1));  // the documented collision
  CHECK(set.insert(2));
  CHECK(set.size() == 2);
}
