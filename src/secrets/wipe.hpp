// Wiping secrets out of memory before it is freed or reused.
#pragma once

#include <openssl/crypto.h>

#include <string>

namespace instantly::secrets::detail {

/// Overwrites the string's bytes (OPENSSL_cleanse: not optimised away).
inline void wipe(std::string& text) noexcept {
  if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
}

/// Wipes a string when the scope ends, however it ends.
class WipeOnExit {
 public:
  explicit WipeOnExit(std::string& text) noexcept : text_(text) {}
  WipeOnExit(const WipeOnExit&) = delete;
  WipeOnExit& operator=(const WipeOnExit&) = delete;
  ~WipeOnExit() { wipe(text_); }

 private:
  std::string& text_;
};

}  // namespace instantly::secrets::detail
