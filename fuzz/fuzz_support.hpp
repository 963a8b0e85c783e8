// Helpers shared by the fuzz targets (fuzz/*.cpp), kept tiny on purpose.
//
// Every target calls the library and swallows only what the library documents:
// instantly::Error and its subclasses. Anything else (std::out_of_range,
// std::bad_alloc, a crash, a sanitizer report, a broken invariant) reaches
// libFuzzer as a crash, so it is reported with the input that caused it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "instantly/error.hpp"

namespace instantly::fuzz {

/// The raw input as text (the library reads bytes, not necessarily UTF-8).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// A failed invariant: print why and abort, which libFuzzer records as a crash.
[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant failed: %s\n", what);
  std::abort();
}

inline void require(bool condition, const char* what) {
  if (!condition) fail(what);
}

/// Runs `body`, accepting the library's documented errors. Other exceptions
/// escape, and an exception escaping LLVMFuzzerTestOneInput ends in
/// std::terminate, which libFuzzer reports (with the exception's type) as a crash.
template <class Body>
void expect_only_library_errors(Body&& body) {
  try {
    body();
  } catch (const instantly::Error&) {
    // Documented: malformed input is refused with a typed error.
  }
}

/// Splits `text` at the first '\n': the line before it and everything after.
/// Several targets take a few short header-like values first, then a body.
struct LineReader {
  std::string_view rest;

  /// The next line without its '\n' (the rest of the text when there is none).
  std::string_view next_line() {
    auto newline = rest.find('\n');
    std::string_view line = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
    return line;
  }
};

}  // namespace instantly::fuzz
