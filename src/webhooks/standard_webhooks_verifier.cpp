// StandardWebhooksVerifier (standardwebhooks.com): HMAC-SHA256 over
// "<webhook-id>.<webhook-timestamp>.<body>" with each configured key,
// compared with every `v1,` signature of the header.
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/webhooks/verify.hpp"
#include "webhooks/base64.hpp"
#include "webhooks/digest.hpp"
#include "webhooks/header_value.hpp"

namespace instantly::webhooks {
namespace {

constexpr std::string_view kIdHeader = "webhook-id";
constexpr std::string_view kTimestampHeader = "webhook-timestamp";
constexpr std::string_view kSignatureHeader = "webhook-signature";
constexpr std::string_view kSecretPrefix = "whsec_";
constexpr std::string_view kVersionPrefix = "v1,";

[[noreturn]] void fail(WebhookFailure reason, const std::string& message) {
  throw WebhookVerificationError(reason, message);
}

std::string header_or_throw(const HttpHeaders& headers, std::string_view name, WebhookFailure reason) {
  std::optional<std::string> value = headers.get(name);
  if (!value || detail::trim_ows(*value).empty()) fail(reason, "webhook header " + std::string(name) + " is missing");
  return std::string(detail::trim_ows(*value));
}

// Unix seconds: decimal digits only (no sign, no spaces, no fraction).
std::optional<std::int64_t> read_timestamp(std::string_view text) {
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Every readable `v1,` signature of the header; other versions are skipped.
std::vector<detail::Sha256> read_signatures(std::string_view header) {
  std::vector<detail::Sha256> signatures;
  while (!header.empty()) {
    const std::size_t space = header.find(' ');
    const std::string_view token = header.substr(0, space);
    header = space == std::string_view::npos ? std::string_view() : header.substr(space + 1);
    if (token.substr(0, kVersionPrefix.size()) != kVersionPrefix) continue;
    const std::optional<std::string> bytes = detail::base64_decode(token.substr(kVersionPrefix.size()));
    if (!bytes || bytes->size() != detail::Sha256{}.size()) continue;
    detail::Sha256 signature{};
    for (std::size_t i = 0; i < signature.size(); ++i) signature[i] = static_cast<unsigned char>((*bytes)[i]);
    signatures.push_back(signature);
  }
  return signatures;
}

}  // namespace

StandardWebhooksVerifier::StandardWebhooksVerifier(const std::vector<std::string>& secrets,
                                                   std::chrono::seconds tolerance)
    : tolerance_(tolerance) {
  if (tolerance < std::chrono::seconds::zero()) {
    throw ValidationError("Standard Webhooks tolerance must not be negative");
  }
  if (secrets.empty()) fail(WebhookFailure::InvalidSecret, "no Standard Webhooks secrets given");
  keys_.reserve(secrets.size());
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    std::string_view secret = detail::trim_ows(secrets[i]);
    if (secret.substr(0, kSecretPrefix.size()) == kSecretPrefix) secret.remove_prefix(kSecretPrefix.size());
    std::optional<std::string> key = detail::base64_decode(secret);
    if (!key || key->empty()) {
      fail(WebhookFailure::InvalidSecret,
           "Standard Webhooks secret #" + std::to_string(i + 1) + " is not base64 (after an optional whsec_)");
    }
    keys_.push_back(std::move(*key));
  }
}

void StandardWebhooksVerifier::verify(const HttpHeaders& headers, std::string_view body,
                                      Clock::time_point now) const {
  const std::string id = header_or_throw(headers, kIdHeader, WebhookFailure::MissingHeader);
  const std::string timestamp_text = header_or_throw(headers, kTimestampHeader, WebhookFailure::MissingTimestamp);
  const std::string signature_header = header_or_throw(headers, kSignatureHeader, WebhookFailure::MissingHeader);

  const std::optional<std::int64_t> timestamp = read_timestamp(timestamp_text);
  if (!timestamp) fail(WebhookFailure::MissingTimestamp, "webhook-timestamp is not Unix seconds");
  const std::int64_t now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const auto tolerance = static_cast<std::uint64_t>(tolerance_.count());
  // Unsigned differences: exact for any two int64 values, never overflowing.
  if (*timestamp > now_seconds) {
    if (static_cast<std::uint64_t>(*timestamp) - static_cast<std::uint64_t>(now_seconds) > tolerance) {
      fail(WebhookFailure::FutureTimestamp, "webhook-timestamp is further in the future than the tolerance");
    }
  } else if (static_cast<std::uint64_t>(now_seconds) - static_cast<std::uint64_t>(*timestamp) > tolerance) {
    fail(WebhookFailure::StaleTimestamp, "webhook-timestamp is older than the tolerance");
  }

  const std::vector<detail::Sha256> signatures = read_signatures(signature_header);
  if (signatures.empty()) fail(WebhookFailure::MalformedSignature, "webhook-signature holds no readable v1 signature");

  bool any = false;
  for (const std::string& key : keys_) {
    const detail::Sha256 expected = detail::hmac_sha256(key, {id, ".", timestamp_text, ".", body});
    for (const detail::Sha256& signature : signatures) any |= detail::digests_equal(expected, signature);
  }
  if (!any) fail(WebhookFailure::BadSignature, "no webhook-signature matches the body");
}

bool StandardWebhooksVerifier::is_valid(const HttpHeaders& headers, std::string_view body,
                                        Clock::time_point now) const noexcept {
  try {
    verify(headers, body, now);
    return true;
  } catch (...) {
    return false;
  }
}

std::string StandardWebhooksVerifier::sign(std::string_view id, std::int64_t timestamp, std::string_view body) const {
  const std::string timestamp_text = std::to_string(timestamp);
  const detail::Sha256 mac = detail::hmac_sha256(keys_.front(), {id, ".", timestamp_text, ".", body});
  return std::string(kVersionPrefix) +
         detail::base64_encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

}  // namespace instantly::webhooks
