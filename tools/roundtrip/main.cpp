// instantly_roundtrip: decodes JSON as a named model and prints what the model
// encodes back to, so a test can compare that with what went in.
//
// Reads lines `ModelName<TAB>json` from stdin; prints one line per input line:
// the re-encoded JSON, or `ERROR <message>`. One line out per line in, always,
// so the caller can pair answers with questions.
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace instantly::roundtrip {
// Generated: tools/roundtrip/model_registry.cpp (tools/codegen/codegen/emit_roundtrip.py).
std::optional<std::string> roundtrip(std::string_view model, std::string_view json);
}  // namespace instantly::roundtrip

namespace {

/// A message on one line, so it cannot break the one-line-per-input protocol.
std::string single_line(std::string text) {
  for (char& ch : text) {
    if (ch == '\n' || ch == '\r') ch = ' ';
  }
  return text;
}

std::string answer(std::string_view line) {
  const std::size_t tab = line.find('\t');
  if (tab == std::string_view::npos) return "ERROR expected ModelName<TAB>json";
  const std::string_view model = line.substr(0, tab);
  try {
    const std::optional<std::string> json = instantly::roundtrip::roundtrip(model, line.substr(tab + 1));
    if (!json) return "ERROR unknown model " + std::string(model);
    return *json;
  } catch (const std::exception& error) {
    return "ERROR " + single_line(error.what());
  }
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    std::cout << answer(line) << '\n';
  }
  std::cout.flush();
  return std::cout ? 0 : 1;
}
