// verify_email: POST /api/v2/email-verification, then GET .../{email} on the shared schedule.
#include <string>
#include <string_view>

#include "instantly/resources/email_verifications.hpp"
#include "instantly/workflows/pollers.hpp"
#include "workflows/poll_loop.hpp"

namespace instantly::workflows {
namespace {

// Only what is certainly not an address; the API judges the rest (that is the point).
void require_address(std::string_view email, std::string_view what) {
  const std::size_t at = email.find('@');
  if (email.empty() || at == std::string_view::npos || at == 0 || at + 1 == email.size()) {
    throw ValidationError(std::string(what) + ": email must be an address like name@example.com");
  }
}

EmailVerification poll_verification(const Client& client, std::string_view email,
                                    const EmailVerificationPollOptions& options, std::string_view what,
                                    bool start) {
  const detail::PollSchedule schedule = detail::schedule_of(options);
  detail::validate_schedule(schedule, what);
  require_address(email, what);

  const EmailVerifications verifications = client.email_verifications();
  EmailVerification verification;
  bool first = true;
  detail::run_polls(detail::clock_of(client), schedule, "verification of " + std::string(email),
                    [&](std::string& status, const RequestOptions& request) {
                      if (start && first) {
                        verification = verifications.create({.email = std::string(email)}, request);
                      } else {
                        verification = verifications.get(email, request);
                      }
                      first = false;
                      status = verification.verification_status.value();
                      if (options.on_update) options.on_update(verification);
                      return verification_finished(verification);
                    });
  return verification;
}

}  // namespace

bool verification_finished(const EmailVerification& verification) noexcept {
  return verification.verification_status.value() != "pending";
}

EmailVerification verify_email(const Client& client, std::string_view email,
                               const EmailVerificationPollOptions& options) {
  return poll_verification(client, email, options, "verify_email", true);
}

EmailVerification wait_for_email_verification(const Client& client, std::string_view email,
                                              const EmailVerificationPollOptions& options) {
  return poll_verification(client, email, options, "wait_for_email_verification", false);
}

}  // namespace instantly::workflows
