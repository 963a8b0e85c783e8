// The old pipeline's reference data, copied into tests/fixtures (INSTANTLY_FIXTURES_DIR).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "instantly/json.hpp"

namespace instantly::testing {

/// The fixture `file`. It ships with the repository, so a missing one is an error, not a skip.
inline Json load_fixture(const std::string& file) {
  const std::filesystem::path path = std::filesystem::path(INSTANTLY_FIXTURES_DIR) / file;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("missing test fixture " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return Json::parse(text.str());
}

}  // namespace instantly::testing
