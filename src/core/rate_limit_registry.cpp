// The process-wide table behind shared_workspace_limits().
//
// Instantly counts requests per workspace, not per connection, so every
// Client talking to the same workspace must draw from one budget. Clients
// with different keys never share: one tenant's bulk job must not make
// another tenant wait.
#include "core/rate_limiter.hpp"

#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <compare>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <utility>

namespace instantly::detail {

namespace {

using KeyDigest = std::array<unsigned char, 32>;

// The table outlives every Client, so it must not keep the secret itself;
// a digest is enough to tell keys apart.
KeyDigest digest_of(std::string_view api_key) {
  KeyDigest digest{};
  unsigned int length = 0;
  if (EVP_Digest(api_key.data(), api_key.size(), digest.data(), &length, EVP_sha256(), nullptr) !=
          1 ||
      length != digest.size()) {
    // Falling back to the raw key is not an option; refuse instead.
    throw std::runtime_error("instantly: could not hash the API key for rate limiting");
  }
  return digest;
}

struct RegistryKey {
  KeyDigest api_key_digest;
  std::string workspace;
  int per_second_count;
  std::chrono::milliseconds per_second_window;
  int per_minute_count;
  std::chrono::milliseconds per_minute_window;
  bool endpoint_limits;
  // Limiters scheduled on different clocks cannot share a timeline. The
  // address stays unique while the entry is alive, because the limits keep
  // their clock alive.
  std::uintptr_t clock_address;

  auto operator<=>(const RegistryKey&) const = default;
};

struct Registry {
  std::mutex mutex;
  std::map<RegistryKey, std::weak_ptr<WorkspaceLimits>> entries;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

std::shared_ptr<WorkspaceLimits> shared_workspace_limits(std::string_view api_key,
                                                         std::string_view workspace,
                                                         const RateLimitOptions& options,
                                                         const std::shared_ptr<Clock>& clock) {
  if (!clock) {
    throw std::invalid_argument("instantly: rate limits need a clock");
  }
  RegistryKey key{digest_of(api_key),
                  std::string(workspace),
                  options.per_second.count,
                  options.per_second.window,
                  options.per_minute.count,
                  options.per_minute.window,
                  options.endpoint_limits,
                  reinterpret_cast<std::uintptr_t>(clock.get())};

  Registry& table = registry();
  std::lock_guard lock(table.mutex);
  if (auto found = table.entries.find(key); found != table.entries.end()) {
    if (auto live = found->second.lock()) {
      return live;
    }
  }

  auto created = std::make_shared<WorkspaceLimits>(options, clock);
  // Dead entries are swept here, the only place the table grows, so its size
  // stays bounded by the number of live workspaces.
  std::erase_if(table.entries, [](const auto& entry) { return entry.second.expired(); });
  table.entries.insert_or_assign(std::move(key), created);
  return created;
}

}  // namespace instantly::detail
