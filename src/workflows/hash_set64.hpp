// A set of 64-bit hashes in one flat array, for the lead importer's duplicate
// detection across a whole import.
//
// std::unordered_set spends ~50 bytes of nodes and buckets on each 8-byte
// hash; a million-lead import would carry 50 MB just to remember which emails
// it has seen. Open addressing with linear probing, at most 3/4 full, needs
// 11 to 21 bytes per hash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace instantly::workflows::detail {

class HashSet64 {
 public:
  /// True when `hash` was not in the set yet. 0 marks an empty slot, so 0 is
  /// stored as 1 (the two then count as one: one more 1-in-2^64 collision).
  bool insert(std::uint64_t hash) {
    if (hash == 0) hash = 1;
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    if (!place(slots_, hash)) return false;
    ++size_;
    return true;
  }

  std::size_t size() const noexcept { return size_; }

 private:
  static bool place(std::vector<std::uint64_t>& slots, std::uint64_t hash) {
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = spread(hash) & mask;; i = (i + 1) & mask) {
      if (slots[i] == hash) return false;
      if (slots[i] == 0) {
        slots[i] = hash;
        return true;
      }
    }
  }

  void grow() {
    std::vector<std::uint64_t> bigger(slots_.empty() ? 1024 : slots_.size() * 2, 0);
    for (std::uint64_t hash : slots_) {
      if (hash != 0) place(bigger, hash);
    }
    slots_.swap(bigger);
  }

  // The low bits pick the slot: mix the high ones in (murmur3's finaliser),
  // whatever the quality of the hash we were given.
  static std::size_t spread(std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return static_cast<std::size_t>(h);
  }

  std::vector<std::uint64_t> slots_;  // size: 0 or a power of two
  std::size_t size_ = 0;
};

}  // namespace instantly::workflows::detail
