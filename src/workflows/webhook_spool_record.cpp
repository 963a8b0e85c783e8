#include "workflows/webhook_spool_record.hpp"

#include <array>

#include "instantly/json.hpp"

namespace instantly::webhooks::spool_record {
namespace {

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<std::uint32_t, 256> kCrcTable = make_crc_table();

void put_u32(std::string& out, std::uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((value >> shift) & 0xFF);
}

std::uint32_t get_u32(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  return value;
}

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) noexcept {
  crc = ~crc;
  for (char c : bytes) crc = kCrcTable[(crc ^ static_cast<unsigned char>(c)) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

std::string encode(std::string_view received_at, std::string_view content_type, std::string_view body) {
  Json header = Json::object({{"received_at", std::string(received_at)}});
  if (!content_type.empty()) header.set("content_type", std::string(content_type));
  const std::string header_text = header.dump();
  std::string out;
  out.reserve(kPrefixBytes + header_text.size() + body.size() + kCrcBytes);
  out += kMagic;
  put_u32(out, static_cast<std::uint32_t>(header_text.size()));
  put_u32(out, static_cast<std::uint32_t>(body.size()));
  out += header_text;
  out += body;
  put_u32(out, crc32(out));
  return out;
}

std::optional<std::size_t> size_from_prefix(std::string_view prefix) {
  if (prefix.size() < kPrefixBytes || prefix.substr(0, kMagic.size()) != kMagic) return std::nullopt;
  const std::uint32_t header_length = get_u32(prefix, 4);
  const std::uint32_t body_length = get_u32(prefix, 8);
  if (header_length > kMaxHeaderBytes || body_length > kMaxBodyBytes) return std::nullopt;
  return kPrefixBytes + std::size_t{header_length} + body_length + kCrcBytes;
}

Decoded decode(std::string_view bytes) {
  if (bytes.empty()) return {.outcome = Read::End};
  if (bytes.size() < kPrefixBytes) {
    // Even a cut-short prefix must begin like one: anything else is damage.
    return {.outcome = kMagic.starts_with(bytes.substr(0, std::min(bytes.size(), kMagic.size()))) ? Read::Truncated
                                                                                                   : Read::Damaged};
  }
  const std::optional<std::size_t> whole = size_from_prefix(bytes);
  if (!whole) return {.outcome = Read::Damaged};
  const std::size_t size = *whole;
  if (bytes.size() < size) return {.outcome = Read::Truncated};
  const std::uint32_t header_length = get_u32(bytes, 4);
  const std::uint32_t body_length = get_u32(bytes, 8);
  if (crc32(bytes.substr(0, size - kCrcBytes)) != get_u32(bytes, size - kCrcBytes)) return {.outcome = Read::Damaged};

  Decoded decoded{.outcome = Read::Record, .size = size};
  try {
    const Json header = Json::parse(bytes.substr(kPrefixBytes, header_length));
    if (const Json* received = header.find("received_at")) decoded.delivery.received_at = received->as_string();
    if (const Json* type = header.find("content_type")) decoded.delivery.content_type = type->as_string();
  } catch (const Error&) {
    return {.outcome = Read::Damaged};  // the CRC matched, so a writer wrote it so: still not ours to guess
  }
  decoded.delivery.body.assign(bytes.substr(kPrefixBytes + header_length, body_length));
  return decoded;
}

}  // namespace instantly::webhooks::spool_record
