// `instantly.Client(rate_limit_backend=...)`: where the rate-limit budget lives, chosen by URL.
//
//   None, "local"            in this process (the library's default, shared by every client
//                            of the same workspace here)
//   "redis://host:port/db"   shared by every process on the workspace, through the Redis
//                            component when the package was built with it
//                            (instantly/redis/rate_limiter.hpp: ?on_unreachable=wait|local)
//
// The core knows no backend by name: this maps a URL to a RateLimiter from the components
// the extension was built with.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "instantly/options.hpp"
#include "instantly/rate_limiter.hpp"

namespace instantly_python {

/// The limiter for `backend` over `options`' key, workspace, limits and clock, or null for
/// the in-process default. Throws `instantly::ValidationError` for an unknown scheme, one
/// this build lacks or a malformed URL, and `instantly::RateLimiterError` for a Redis that
/// cannot be reached or refuses; messages never quote the URL (it may hold a password).
std::shared_ptr<instantly::RateLimiter> rate_limiter_for(const std::optional<std::string>& backend,
                                                         const instantly::ClientOptions& options);

}  // namespace instantly_python
