// URL building: path segments and query parameters come from callers' data
// (emails, ids, search text), so encoding must hold for any bytes.
//
// Input lines: base URL, path segment, then query key/value pairs alternating.
// Invariants: an encoded segment holds only unreserved characters and %XX
// escapes (so never '/', '?', '#', '&', '=' or control bytes) and decodes back
// to the input; encode_query keeps one '=' per pair and one '&' between pairs;
// build_url starts with the base (trailing '/' dropped) and keeps the segment.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/url.hpp"
#include "fuzz_support.hpp"

namespace {

using instantly::fuzz::require;

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // lower case is not what percent_encode writes
}

/// Checks the encoding's alphabet while decoding it; the decoded bytes come back.
std::string decode_checked(std::string_view encoded) {
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c == '%') {
      require(i + 2 < encoded.size(), "a truncated %XX escape");
      const int high = hex_value(encoded[i + 1]);
      const int low = hex_value(encoded[i + 2]);
      require(high >= 0 && low >= 0, "an escape that is not %XX in upper-case hex");
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      require(is_unreserved(c), "a reserved or control byte left unencoded");
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace url = instantly::detail;
  instantly::fuzz::LineReader reader{instantly::fuzz::as_text(data, size)};
  const std::string_view base = reader.next_line();
  const std::string_view segment = reader.next_line();
  instantly::QueryParams query;
  while (!reader.rest.empty()) {
    std::string key(reader.next_line());
    query.emplace_back(std::move(key), std::string(reader.next_line()));
  }

  instantly::fuzz::expect_only_library_errors([&] {
    const std::string encoded = url::percent_encode(segment);
    require(decode_checked(encoded) == segment, "percent_encode does not decode back to its input");

    const std::string query_text = url::encode_query(query);
    std::size_t equals = 0;
    std::size_t ampersands = 0;
    for (char c : query_text) {
      equals += c == '=';
      ampersands += c == '&';
    }
    require(equals == query.size(), "encode_query: not one '=' per parameter");
    require(ampersands == (query.empty() ? 0 : query.size() - 1), "encode_query: not one '&' between parameters");

    const std::string path = "/api/v2/campaigns/" + encoded;
    const std::string full = url::build_url(base, path, query);
    std::string_view trimmed_base = base;
    while (!trimmed_base.empty() && trimmed_base.back() == '/') trimmed_base.remove_suffix(1);
    require(std::string_view(full).starts_with(trimmed_base), "build_url lost the base URL");
    require(std::string_view(full).substr(trimmed_base.size()).starts_with(path), "build_url changed the path");
    if (!query.empty()) {
      require(std::string_view(full).ends_with(query_text), "build_url lost the query");
    } else {
      require(full.size() == trimmed_base.size() + path.size(), "build_url added something without a query");
    }
  });
  return 0;
}
