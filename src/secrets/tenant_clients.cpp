// TenantClients: organisation → Client, each built from its sealed key on first use.
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "instantly/secrets.hpp"
#include "secrets/sealed_text.hpp"
#include "secrets/wipe.hpp"

namespace instantly::secrets {

TenantClients::TenantClients(KeyRing ring, ClientOptions base) : ring_(std::move(ring)), base_(std::move(base)) {
  detail::wipe(base_.api_key);
  base_.api_key.clear();
  base_.workspace.reset();
}

void TenantClients::add(std::string organization, std::string sealed_api_key, std::optional<std::string> workspace) {
  if (organization.empty()) throw ValidationError("TenantClients::add: organization must not be empty");
  detail::parse_sealed(sealed_api_key);  // SealError(Malformed) now rather than at first use
  std::lock_guard lock(mutex_);
  tenants_.insert_or_assign(std::move(organization), Tenant{std::move(sealed_api_key), std::move(workspace), {}});
}

void TenantClients::add(const AppState& state, std::string_view top_level_organization) {
  for (const AppStateKey& key : state.keys) {
    add(key.organization.empty() ? std::string(top_level_organization) : key.organization, key.sealed,
        key.workspace);
  }
}

Client TenantClients::client(std::string_view organization) const {
  std::lock_guard lock(mutex_);
  const auto found = tenants_.find(organization);
  if (found == tenants_.end()) {
    throw ValidationError("TenantClients: no organisation '" + std::string(organization) + "' was added");
  }
  Tenant& tenant = found->second;
  if (!tenant.client) {
    // Building a Client sends nothing, so holding the lock here costs little.
    ClientOptions options = base_;
    options.api_key = open(tenant.sealed_api_key, ring_);
    options.workspace = tenant.workspace;
    try {
      tenant.client.emplace(options);
    } catch (...) {
      detail::wipe(options.api_key);
      throw;
    }
    detail::wipe(options.api_key);
  }
  return *tenant.client;
}

bool TenantClients::contains(std::string_view organization) const {
  std::lock_guard lock(mutex_);
  return tenants_.find(organization) != tenants_.end();
}

std::vector<std::string> TenantClients::organizations() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  names.reserve(tenants_.size());
  for (const auto& [name, tenant] : tenants_) names.push_back(name);
  return names;
}

std::size_t TenantClients::size() const {
  std::lock_guard lock(mutex_);
  return tenants_.size();
}

}  // namespace instantly::secrets
