// Stable names of WebhookFailure, for logs and for Python's `reason` attribute.
#include "instantly/error.hpp"

namespace instantly {

const char* to_string(WebhookFailure reason) noexcept {
  switch (reason) {
    case WebhookFailure::MissingHeader: return "missing_header";
    case WebhookFailure::BadSecret: return "bad_secret";
    case WebhookFailure::MalformedSignature: return "malformed_signature";
    case WebhookFailure::BadSignature: return "bad_signature";
    case WebhookFailure::MissingTimestamp: return "missing_timestamp";
    case WebhookFailure::StaleTimestamp: return "stale_timestamp";
    case WebhookFailure::FutureTimestamp: return "future_timestamp";
    case WebhookFailure::InvalidSecret: return "invalid_secret";
  }
  return "unknown";
}

}  // namespace instantly
