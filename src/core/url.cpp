#include "core/url.hpp"

#include "instantly/error.hpp"

namespace instantly::detail {
namespace {

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

std::string path_segment(std::string_view value, std::string_view name) {
  if (value.empty() || value == "." || value == "..") {
    throw ValidationError("`" + std::string(name) + "` must not be " +
                          (value.empty() ? std::string("empty") : "'" + std::string(value) + "'") +
                          ": as a path segment it would address another resource");
  }
  return percent_encode(value);
}

std::string encode_query(const QueryParams& query) {
  std::string out;
  for (const auto& [key, value] : query) {
    if (!out.empty()) out.push_back('&');
    out += percent_encode(key);
    out.push_back('=');
    out += percent_encode(value);
  }
  return out;
}

std::string build_url(std::string_view base_url, std::string_view path, const QueryParams& query) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  std::string url(base_url);
  if (path.empty() || path.front() != '/') url.push_back('/');
  url += path;
  if (!query.empty()) {
    url.push_back(url.find('?') == std::string::npos ? '?' : '&');
    url += encode_query(query);
  }
  return url;
}

}  // namespace instantly::detail
