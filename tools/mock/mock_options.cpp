#include "mock_options.hpp"

#include <charconv>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace instantly::mock {

bool FaultRates::any() const noexcept {
  return rate_limited > 0 || server_error > 0 || bad_gateway > 0 || unavailable > 0 || drop_connection > 0 ||
         truncate_body > 0;
}

namespace {

double parse_rate(std::string_view key, std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > 1) {
    throw std::invalid_argument("fault rate for '" + std::string(key) + "' must be a number from 0 to 1, got '" +
                                std::string(text) + "'");
  }
  return value;
}

template <class Int>
Int parse_int(std::string_view flag, std::string_view text, Int min) {
  Int value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min) {
    throw std::invalid_argument(std::string(flag) + " expects an integer >= " + std::to_string(min) + ", got '" +
                                std::string(text) + "'");
  }
  return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

}  // namespace

FaultRates parse_fault_rates(const std::string& text) {
  FaultRates rates;
  for (auto part : split(text, ',')) {
    auto eq = part.find('=');
    if (eq == std::string_view::npos) {
      throw std::invalid_argument("fault '" + std::string(part) + "' must look like KIND=RATE, e.g. 429=0.05");
    }
    auto key = part.substr(0, eq);
    double rate = parse_rate(key, part.substr(eq + 1));
    if (key == "429") rates.rate_limited = rate;
    else if (key == "500") rates.server_error = rate;
    else if (key == "502") rates.bad_gateway = rate;
    else if (key == "503") rates.unavailable = rate;
    else if (key == "5xx") rates.server_error = rates.bad_gateway = rates.unavailable = rate / 3;
    else if (key == "drop") rates.drop_connection = rate;
    else if (key == "truncate") rates.truncate_body = rate;
    else {
      throw std::invalid_argument("unknown fault '" + std::string(key) +
                                  "' (known: 429, 500, 502, 503, 5xx, drop, truncate)");
    }
  }
  double total = rates.rate_limited + rates.server_error + rates.bad_gateway + rates.unavailable +
                 rates.drop_connection + rates.truncate_body;
  if (total > 1.0 + 1e-9) throw std::invalid_argument("fault rates add up to more than 1");
  return rates;
}

std::string to_string(const FaultRates& r) {
  std::ostringstream out;
  out << "429=" << r.rate_limited << ",500=" << r.server_error << ",502=" << r.bad_gateway
      << ",503=" << r.unavailable << ",drop=" << r.drop_connection << ",truncate=" << r.truncate_body;
  return out.str();
}

std::string usage() {
  return R"(usage: instantly-mock [options]

A stateful local Instantly API v2 for tests and demos (see docs/mock.md).

  --host HOST             address to listen on (default 127.0.0.1)
  --port PORT             port; 0 lets the OS choose (default 4010). The first
                          line on stdout is "listening on http://HOST:PORT".
  --api-key KEY           accept this Bearer key (repeatable); default: any non-empty key
  --latency-ms MS[:JITTER]  delay every API request by MS (+ up to JITTER) milliseconds
  --faults SPEC           inject faults, e.g. 429=0.05,5xx=0.03,drop=0.01,truncate=0.01
  --seed N                seed for faults, ids and simulated events (default 1)
  --no-rate-limit         do not enforce 100/s, 6,000/min and the per-endpoint limits
  --state FILE            load state from FILE on start (if it exists), save it on exit
  --webhook-retry-delays MS,MS,MS  waits between delivery attempts (default 2000,8000,20000)
  --threads N             server worker threads (default: cpp-httplib's)
  --verbose               log each request to stderr
  --help, --version
)";
}

CommandLine parse_command_line(int argc, const char* const* argv) {
  CommandLine result;
  MockOptions& o = result.options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view value;
    bool has_inline_value = false;
    if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_inline_value = true;
    }
    auto next = [&]() -> std::string_view {
      if (has_inline_value) return value;
      if (i + 1 >= argc) throw std::invalid_argument(std::string(arg) + " needs a value");
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") result.show_help = true;
    else if (arg == "--version") result.show_version = true;
    else if (arg == "--host") o.host = next();
    else if (arg == "--port") o.port = parse_int<int>("--port", next(), 0);
    else if (arg == "--api-key") {
      auto key = next();
      if (key.empty()) throw std::invalid_argument("--api-key must not be empty");
      o.api_keys.emplace_back(key);
    } else if (arg == "--latency-ms") {
      auto text = next();
      auto colon = text.find(':');
      o.latency_ms = parse_int<int>("--latency-ms", text.substr(0, colon), 0);
      if (colon != std::string_view::npos) o.latency_jitter_ms = parse_int<int>("--latency-ms jitter", text.substr(colon + 1), 0);
    } else if (arg == "--faults") o.faults = parse_fault_rates(std::string(next()));
    else if (arg == "--seed") o.seed = parse_int<std::uint64_t>("--seed", next(), 0);
    else if (arg == "--no-rate-limit") o.rate_limit = false;
    else if (arg == "--state") o.state_file = std::string(next());
    else if (arg == "--webhook-retry-delays") {
      o.webhook_retry_delays_ms.clear();
      for (auto part : split(next(), ',')) o.webhook_retry_delays_ms.push_back(parse_int<int>("--webhook-retry-delays", part, 0));
    } else if (arg == "--threads") o.threads = parse_int<int>("--threads", next(), 1);
    else if (arg == "--verbose") o.verbose = true;
    else throw std::invalid_argument("unknown option '" + std::string(arg) + "' (see --help)");
  }
  return result;
}

}  // namespace instantly::mock
