// SecretHeaderVerifier: the received header value against every accepted
// secret, as SHA-256 digests compared with CRYPTO_memcmp, so neither the
// position of a difference nor the lengths involved show in the timing.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "instantly/error.hpp"
#include "instantly/webhooks/verify.hpp"
#include "webhooks/digest.hpp"
#include "webhooks/header_value.hpp"

namespace instantly::webhooks {

SecretHeaderVerifier::SecretHeaderVerifier(std::string header_name, const std::vector<std::string>& secrets,
                                           bool allow_bearer_prefix)
    : header_name_(std::move(header_name)), allow_bearer_prefix_(allow_bearer_prefix) {
  if (header_name_.empty()) {
    throw WebhookVerificationError(WebhookFailure::InvalidSecret, "webhook secret header name is empty");
  }
  if (secrets.empty()) {
    throw WebhookVerificationError(WebhookFailure::InvalidSecret,
                                   "no accepted secrets given for webhook header " + header_name_);
  }
  secret_digests_.reserve(secrets.size());
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    if (secrets[i].empty()) {
      throw WebhookVerificationError(WebhookFailure::InvalidSecret,
                                     "accepted secret #" + std::to_string(i + 1) + " for webhook header " +
                                         header_name_ + " is empty");
    }
    secret_digests_.push_back(detail::sha256({secrets[i]}));
  }
}

bool SecretHeaderVerifier::matches(std::string_view value) const noexcept {
  try {
    const detail::Sha256 received = detail::sha256({value});
    bool any = false;
    // No early exit: every accepted secret is compared every time.
    for (const Digest& accepted : secret_digests_) any |= detail::digests_equal(received, accepted);
    return any;
  } catch (...) {
    return false;  // OpenSSL could not hash: nothing matches
  }
}

void SecretHeaderVerifier::verify(const HttpHeaders& headers) const {
  const std::optional<std::string> raw = headers.get(header_name_);
  if (!raw) {
    throw WebhookVerificationError(WebhookFailure::MissingHeader, "webhook header " + header_name_ + " is missing");
  }
  const std::string_view value = detail::trim_ows(*raw);
  bool ok = !value.empty() && matches(value);
  constexpr std::string_view kBearer = "Bearer ";
  if (allow_bearer_prefix_ && detail::starts_with_nocase(value, kBearer)) {
    const std::string_view token = detail::trim_ows(value.substr(kBearer.size()));
    ok = (!token.empty() && matches(token)) || ok;
  }
  if (!ok) {
    throw WebhookVerificationError(WebhookFailure::BadSecret,
                                   "webhook header " + header_name_ + " does not hold an accepted secret");
  }
}

bool SecretHeaderVerifier::is_valid(const HttpHeaders& headers) const noexcept {
  try {
    verify(headers);
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace instantly::webhooks
