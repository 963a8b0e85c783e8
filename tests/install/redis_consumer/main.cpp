// A worker built against the installed package's redis component. No Redis
// runs here: port 9 answers nothing, so with on_unreachable=local the limiter
// starts on the process's own budget, and without it the start fails clearly.
#include <instantly/instantly.hpp>
#include <instantly/redis/rate_limiter.hpp>

#include <iostream>
#include <string>

int main() {
  const std::string key = "sk-install-consumer";
  auto limiter = instantly::redis::make_rate_limiter({.url = "redis://127.0.0.1:9?on_unreachable=local"}, key);
  instantly::Client client({.api_key = key, .base_url = "http://127.0.0.1:9", .rate_limiter = limiter});
  try {
    instantly::redis::make_rate_limiter({.url = "redis://:secret@127.0.0.1:9"}, key);
  } catch (const instantly::RateLimiterError& e) {
    const std::string message = e.what();
    std::cout << message << "\n";
    return message.find("127.0.0.1:9") != std::string::npos && message.find("secret") == std::string::npos ? 0 : 1;
  }
  return 1;
}
