// The old pipeline's reference data in ../shared/fixtures (INSTANTLY_FIXTURES_DIR).
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "instantly/json.hpp"

namespace instantly::testing {

/// The fixture `file`, or nullopt (with a message) when ../shared is not beside the repo.
inline std::optional<Json> load_fixture(const std::string& file) {
  const std::filesystem::path path = std::filesystem::path(INSTANTLY_FIXTURES_DIR) / file;
  std::ifstream in(path);
  if (!in) {
    MESSAGE("skipped: " << path.string() << " not found (../shared beside the repo)");
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  return Json::parse(text.str());
}

}  // namespace instantly::testing
