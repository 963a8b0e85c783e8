// One record of the webhook spool on disk (docs/nothing-lost.md, "The spool on
// disk"): magic, two lengths, a small JSON header, the body, a CRC-32 of it all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "instantly/webhooks/spool.hpp"

namespace instantly::webhooks::spool_record {

inline constexpr std::string_view kMagic = "ISP1";
/// magic + header length + body length, before the header.
inline constexpr std::size_t kPrefixBytes = 12;
inline constexpr std::size_t kCrcBytes = 4;
/// A header is a few dozen bytes; more is damage, not a header (and must not make us allocate).
inline constexpr std::uint32_t kMaxHeaderBytes = 64 * 1024;
/// No delivery is larger than the receivers accept (1 MiB); this leaves room and still catches damage.
inline constexpr std::uint32_t kMaxBodyBytes = 64 * 1024 * 1024;

/// CRC-32 (IEEE 802.3, as zlib's crc32), continuing from `crc` (0 to start).
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0) noexcept;

/// The record's bytes, ready to append (the body is copied once, into them).
std::string encode(std::string_view received_at, std::string_view content_type, std::string_view body);

/// What decoding found at an offset.
enum class Read {
  Record,     ///< a whole, intact record
  End,        ///< no bytes left
  Truncated,  ///< the bytes end before the record does
  Damaged,    ///< wrong magic, impossible lengths, unreadable header or CRC mismatch
};

struct Decoded {
  Read outcome = Read::End;
  SpooledDelivery delivery;  ///< when outcome == Record
  std::size_t size = 0;      ///< the record's bytes, when outcome == Record
};

/// The whole record's size, from its first kPrefixBytes; nothing when they are not a record's.
std::optional<std::size_t> size_from_prefix(std::string_view prefix);

/// Decodes the record at the start of `bytes`.
Decoded decode(std::string_view bytes);


}  // namespace instantly::webhooks::spool_record
