// A program built against the installed package's prometheus component. No
// server answers on port 9: the failed call is what the metrics must show.
#include <instantly/instantly.hpp>
#include <instantly/prometheus.hpp>

#include <iostream>
#include <memory>
#include <string>

int main() {
  auto metrics = std::make_shared<instantly::prometheus::Metrics>();
  instantly::Client client({.api_key = "sk-install-consumer",
                            .base_url = "http://127.0.0.1:9",
                            .retry = {.max_retries = 0},
                            .observer = metrics->observer()});
  try {
    client.request("GET", "/api/v2/campaigns");
  } catch (const instantly::ApiConnectionError&) {
    // expected
  }
  const std::string text = metrics->text();
  std::cout << text;
  const bool counted = text.find(R"(instantly_calls_total{operation="listCampaign",outcome="failed"} 1)") !=
                       std::string::npos;
  return counted && text.find("sk-install-consumer") == std::string::npos ? 0 : 1;
}
