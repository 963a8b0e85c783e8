// The old pipeline's .app-state.json: find its base64 API keys, seal them.
//
// The file's exact shape is not fixed (it grew with the pipeline), so the
// reader looks for API keys by member name at the top level and under an
// organisations container, keeps everything else as it is, and names the
// JSON path, never the value, when a key cannot be read.
#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "instantly/secrets.hpp"
#include "secrets/wipe.hpp"
#include "webhooks/base64.hpp"

namespace instantly::secrets {
namespace {

constexpr std::array<std::string_view, 4> kKeyMembers = {"instantly_api_key", "api_key", "apiKey", "instantlyApiKey"};
constexpr std::array<std::string_view, 3> kOrganizationContainers = {"organizations", "orgs", "tenants"};
constexpr std::array<std::string_view, 4> kOrganizationIdMembers = {"id", "org_id", "organization_id", "name"};
constexpr std::array<std::string_view, 3> kWorkspaceMembers = {"workspace", "workspace_id", "x_as_workspace"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

[[noreturn]] void malformed(const std::string& path, const std::string& why) {
  throw SealError(SealFailure::Malformed, "app state " + path + ": " + why);
}

std::string member_path(const std::string& parent, std::string_view name) {
  const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (plain) return parent + "." + std::string(name);
  std::string quoted = parent + "[\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"]";
}

std::optional<std::string> text_member(const Json& object, const std::array<std::string_view, 3>& names) {
  for (std::string_view name : names) {
    const Json* value = object.find(name);
    if (value && value->is_string() && !value->as_string().empty()) return value->as_string();
  }
  return std::nullopt;
}

std::optional<std::string> organization_id(const Json& entry) {
  for (std::string_view name : kOrganizationIdMembers) {
    const Json* value = entry.find(name);
    if (value && value->is_string() && !value->as_string().empty()) return value->as_string();
    if (value && value->is_int()) return std::to_string(value->as_int());
  }
  return std::nullopt;
}

// The API key a base64 value stands for: printable ASCII once decoded
// (surrounding whitespace, such as a newline from `base64` on a shell, dropped).
std::optional<std::string> decode_api_key(std::string_view text) {
  std::optional<std::string> decoded = webhooks::detail::base64_decode(text);
  if (!decoded) return std::nullopt;
  const detail::WipeOnExit wipe_decoded(*decoded);
  std::string_view key(*decoded);
  while (!key.empty() && std::isspace(static_cast<unsigned char>(key.front()))) key.remove_prefix(1);
  while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.remove_suffix(1);
  if (key.empty() || !std::all_of(key.begin(), key.end(), [](char c) { return c > ' ' && c < 127; })) {
    return std::nullopt;
  }
  return std::string(key);
}

class Sealer {
 public:
  Sealer(const KeyRing& ring, AppState& out) : ring_(ring), out_(out) {}

  void document(Json& root) {
    if (!root.is_object()) malformed("$", "an app state must be a JSON object");
    const std::optional<std::string> workspace = text_member(root, kWorkspaceMembers);
    for (auto& [name, value] : root.as_object()) {
      if (one_of(kKeyMembers, name)) {
        key(value, member_path("$", name), "", workspace);
      } else if (one_of(kOrganizationContainers, name)) {
        organizations(value, member_path("$", name));
      }
    }
  }

 private:
  void organizations(Json& container, const std::string& path) {
    if (container.is_object()) {
      for (auto& [name, entry] : container.as_object()) organization(entry, member_path(path, name), name);
    } else if (container.is_array()) {
      Json::Array& entries = container.as_array();
      for (std::size_t i = 0; i < entries.size(); ++i) {
        const std::string entry_path = path + "[" + std::to_string(i) + "]";
        if (!entries[i].is_object()) continue;
        const std::optional<std::string> id = organization_id(entries[i]);
        if (!id) malformed(entry_path, "an organisation needs an id, org_id, organization_id or name");
        organization(entries[i], entry_path, *id);
      }
    }
  }

  // An organisation is its key itself (a string) or an object holding it.
  void organization(Json& entry, const std::string& path, const std::string& name) {
    if (entry.is_string()) {
      key(entry, path, name, std::nullopt);
      return;
    }
    if (!entry.is_object()) return;
    const std::optional<std::string> workspace = text_member(entry, kWorkspaceMembers);
    for (auto& [member, value] : entry.as_object()) {
      if (one_of(kKeyMembers, member)) key(value, member_path(path, member), name, workspace);
    }
  }

  void key(Json& value, const std::string& path, const std::string& organization,
           const std::optional<std::string>& workspace) {
    if (value.is_null() || (value.is_string() && value.as_string().empty())) return;
    if (!value.is_string()) malformed(path, "an API key must be a string");
    const std::string& text = value.as_string();
    std::string sealed;
    if (is_sealed(text)) {
      sealed = reseal(text, ring_);
    } else {
      std::optional<std::string> api_key = decode_api_key(text);
      if (!api_key) malformed(path, "not base64 of an API key");
      const detail::WipeOnExit wipe_key(*api_key);
      sealed = seal(*api_key, ring_);
    }
    if (sealed != text) out_.changed = true;
    value = Json(sealed);
    out_.keys.push_back({organization, path, std::move(sealed), workspace});
  }

  const KeyRing& ring_;
  AppState& out_;
};

}  // namespace

AppState reseal_app_state(const Json& document, const KeyRing& ring) {
  AppState state;
  state.document = document;
  Sealer(ring, state).document(state.document);
  return state;
}

AppState load_app_state(const std::filesystem::path& path, const KeyRing& ring) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read app state " + path.string() + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error("cannot read app state " + path.string());
  std::string contents = std::move(text).str();
  const detail::WipeOnExit wipe_contents(contents);  // it holds the keys in base64
  return reseal_app_state(Json::parse(contents), ring);
}

}  // namespace instantly::secrets
