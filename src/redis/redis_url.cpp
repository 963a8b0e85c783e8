#include "redis/redis_url.hpp"

#include <charconv>
#include <string>
#include <system_error>

#include "instantly/error.hpp"

namespace instantly::redis::detail {
namespace {

[[noreturn]] void invalid(const std::string& what) {
  throw ValidationError("rate limiter URL: " + what + " (expected redis://[[user]:password@]host[:port][/db])");
}

int number_in(std::string_view text, int low, int high, const char* what) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    invalid(std::string(what) + " must be a whole number from " + std::to_string(low) + " to " +
            std::to_string(high));
  }
  return value;
}

// "%40" and friends in the user and password (an '@' or ':' in a password must be escaped).
std::string percent_decoded(std::string_view text, const char* what) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= text.size()) invalid(std::string("a bad %-escape in the ") + what);
    const auto [end, error] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
    if (error != std::errc() || end != text.data() + i + 3) invalid(std::string("a bad %-escape in the ") + what);
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

double read_fraction(std::string_view name, std::string_view value) {
  double fraction = -1;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), fraction);
  if (error != std::errc() || end != value.data() + value.size() || !(fraction >= 0.0 && fraction < 1.0)) {
    invalid(std::string(name) + " must be a fraction in [0, 1), like 0.05");
  }
  return fraction;
}

int read_milliseconds(std::string_view name, std::string_view value) {
  int milliseconds = -1;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), milliseconds);
  if (error != std::errc() || end != value.data() + value.size() || milliseconds < 0 || milliseconds > 60'000) {
    invalid(std::string(name) + " must be whole milliseconds from 0 to 60000");
  }
  return milliseconds;
}

void read_query(std::string_view query, RedisAddress& address) {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (name == "on_unreachable") {
      if (value == "wait") {
        address.when_unreachable = WhenUnreachable::Wait;
      } else if (value == "local") {
        address.when_unreachable = WhenUnreachable::UseLocal;
      } else {
        invalid("on_unreachable must be wait or local");
      }
    } else if (name == "headroom") {
      address.headroom = read_fraction(name, value);
    } else if (name == "safety_margin_ms") {
      address.safety_margin = std::chrono::milliseconds(read_milliseconds(name, value));
    } else if (name == "pacing_ms") {
      address.pacing = std::chrono::milliseconds(read_milliseconds(name, value));
    } else {
      invalid("unknown parameter '" + std::string(name) + "' (known: on_unreachable, headroom, safety_margin_ms, pacing_ms)");
    }
  }
}

}  // namespace

std::string RedisAddress::display() const {
  return host + ":" + std::to_string(port) + "/" + std::to_string(database);
}

RedisAddress parse_redis_url(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.starts_with("rediss://")) invalid("rediss:// (TLS) is not supported by this build's hiredis");
  if (!url.starts_with(kScheme)) {
    const std::size_t colon = url.find("://");
    invalid(colon == std::string_view::npos ? std::string("no scheme")
                                            : "scheme '" + std::string(url.substr(0, colon)) + "' is not redis");
  }
  std::string_view rest = url.substr(kScheme.size());
  RedisAddress address;

  if (const std::size_t question = rest.find('?'); question != std::string_view::npos) {
    read_query(rest.substr(question + 1), address);
    rest = rest.substr(0, question);
  }
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const std::size_t colon = userinfo.find(':');
    if (colon == std::string_view::npos) {
      // "redis://secret@host": a lone userinfo is the password, as redis-cli reads it.
      if (!userinfo.empty()) address.password = percent_decoded(userinfo, "password");
    } else {
      if (colon > 0) address.user = percent_decoded(userinfo.substr(0, colon), "user name");
      address.password = percent_decoded(userinfo.substr(colon + 1), "password");
    }
  }
  std::string_view authority = rest;
  if (const std::size_t slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    const std::string_view database = rest.substr(slash + 1);
    if (!database.empty()) address.database = number_in(database, 0, 1'000'000, "the database");
  }
  std::string_view host = authority;
  if (authority.starts_with('[')) {  // [::1]:6379
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) invalid("an IPv6 host without its closing ']'");
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') invalid("something after the IPv6 host that is not a port");
      address.port = number_in(after.substr(1), 1, 65535, "the port");
    }
  } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    address.port = number_in(authority.substr(colon + 1), 1, 65535, "the port");
  }
  if (host.empty()) invalid("no host");
  address.host = std::string(host);
  return address;
}

}  // namespace instantly::redis::detail
