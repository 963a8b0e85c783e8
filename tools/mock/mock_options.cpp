#include "mock_options.hpp"

#include <CLI/CLI.hpp>

#include <charconv>
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

namespace {

/// "MS" or "MS:JITTER".
void parse_latency(const std::string& text, MockOptions& options) {
  auto colon = text.find(':');
  options.latency_ms = parse_int<int>("--latency-ms", std::string_view(text).substr(0, colon), 0);
  if (colon != std::string::npos) {
    options.latency_jitter_ms = parse_int<int>("--latency-ms jitter", std::string_view(text).substr(colon + 1), 0);
  }
}

}  // namespace

CommandLine parse_command_line(int argc, const char* const* argv) {
  CommandLine result;
  MockOptions& o = result.options;
  CLI::App app("A stateful local Instantly API v2 for tests and demos (see docs/mock.md).", "instantly-mock");
  app.set_help_flag("-h,--help", "Print this help and exit");
  app.add_flag("--version", result.show_version, "Print the version and exit");
  app.add_option("--host", o.host, "Address to listen on")->capture_default_str();
  app.add_option("--port", o.port,
                 "Port; 0 lets the OS choose. The first stdout line is \"listening on http://HOST:PORT\"")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--api-key", o.api_keys, "Accept this Bearer key (repeatable); default: any non-empty key")
      ->type_name("KEY")
      ->allow_extra_args(false)
      ->check([](const std::string& key) { return key.empty() ? std::string("must not be empty") : std::string(); });
  std::string latency;
  app.add_option("--latency-ms", latency, "Delay every API request by MS (+ up to JITTER) milliseconds")
      ->type_name("MS[:JITTER]");
  std::string faults;
  app.add_option("--faults", faults, "Inject faults, e.g. 429=0.05,5xx=0.03,drop=0.01,truncate=0.01")
      ->type_name("SPEC");
  app.add_option("--seed", o.seed, "Seed for faults, ids and simulated events")->capture_default_str();
  bool no_rate_limit = false;
  app.add_flag("--no-rate-limit", no_rate_limit, "Do not enforce 100/s, 6,000/min and the per-endpoint limits");
  std::string state_file;
  app.add_option("--state", state_file, "Load state from FILE on start (if it exists), save it on exit")
      ->type_name("FILE");
  app.add_option("--webhook-retry-delays", o.webhook_retry_delays_ms,
                 "Waits between webhook delivery attempts in ms (default 2000,8000,20000)")
      ->delimiter(',')
      ->type_name("MS,MS,MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--threads", o.threads, "Server worker threads (default 32)")->check(CLI::PositiveNumber);
  app.add_flag("--verbose", o.verbose, "Log each API request to stderr");

  try {
    app.parse(argc, argv);
    if (!latency.empty()) parse_latency(latency, o);
    if (!faults.empty()) o.faults = parse_fault_rates(faults);
  } catch (const CLI::CallForHelp&) {
    result.show_help = true;
  } catch (const CLI::ParseError& e) {
    throw std::invalid_argument(e.what());
  }
  o.rate_limit = !no_rate_limit;
  if (!state_file.empty()) o.state_file = state_file;
  result.help = app.help();
  return result;
}

}  // namespace instantly::mock
