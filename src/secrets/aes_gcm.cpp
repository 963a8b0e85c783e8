#include "secrets/aes_gcm.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "secrets/wipe.hpp"

namespace instantly::secrets::detail {
namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

[[noreturn]] void openssl_failed(const char* what) { throw Error(std::string("OpenSSL failed: ") + what); }

const unsigned char* bytes(std::string_view text) { return reinterpret_cast<const unsigned char*>(text.data()); }
unsigned char* bytes(std::string& text) { return reinterpret_cast<unsigned char*>(text.data()); }

int length(std::string_view text) {
  if (text.size() > static_cast<std::size_t>(INT_MAX)) openssl_failed("input too long");
  return static_cast<int>(text.size());
}

CipherCtx start(bool encrypt, const KeyBytes& key, std::string_view nonce, std::string_view associated) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) openssl_failed("cipher context");
  const auto init = encrypt ? EVP_EncryptInit_ex : EVP_DecryptInit_ex;
  if (init(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, length(nonce), nullptr) != 1 ||
      init(ctx.get(), nullptr, nullptr, key.data(), bytes(nonce)) != 1) {
    openssl_failed("AES-256-GCM init");
  }
  int written = 0;
  const auto update = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate;
  if (!associated.empty() &&
      update(ctx.get(), nullptr, &written, bytes(associated), length(associated)) != 1) {
    openssl_failed("AES-256-GCM associated data");
  }
  return ctx;
}

}  // namespace

GcmSealed gcm_encrypt(const KeyBytes& key, std::string_view nonce, std::string_view associated,
                      std::string_view plaintext) {
  CipherCtx ctx = start(true, key, nonce, associated);
  GcmSealed out;
  out.ciphertext.resize(plaintext.size());
  int written = 0;
  if (!plaintext.empty() &&
      EVP_EncryptUpdate(ctx.get(), bytes(out.ciphertext), &written, bytes(plaintext), length(plaintext)) != 1) {
    openssl_failed("AES-256-GCM encrypt");
  }
  int tail = 0;  // GCM is a stream mode: nothing is held back
  if (EVP_EncryptFinal_ex(ctx.get(), bytes(out.ciphertext) + written, &tail) != 1) {
    openssl_failed("AES-256-GCM final");
  }
  out.tag.resize(16);
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(out.tag.size()), out.tag.data()) != 1) {
    openssl_failed("AES-256-GCM tag");
  }
  return out;
}

std::optional<std::string> gcm_decrypt(const KeyBytes& key, std::string_view nonce, std::string_view associated,
                                       std::string_view ciphertext, std::string_view tag) {
  CipherCtx ctx = start(false, key, nonce, associated);
  std::string plaintext(ciphertext.size(), '\0');
  const WipeOnExit wipe_plaintext(plaintext);  // the caller gets a copy; this buffer is wiped either way
  int written = 0;
  if (!ciphertext.empty() &&
      EVP_DecryptUpdate(ctx.get(), bytes(plaintext), &written, bytes(ciphertext), length(ciphertext)) != 1) {
    openssl_failed("AES-256-GCM decrypt");
  }
  std::string expected_tag(tag);
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, length(expected_tag), expected_tag.data()) != 1) {
    openssl_failed("AES-256-GCM tag");
  }
  int tail = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), bytes(plaintext) + written, &tail) != 1) return std::nullopt;
  // A copy, not a move: moving a short string copies its bytes and leaves them behind unwiped.
  std::optional<std::string> result(std::in_place, plaintext);
  return result;
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (n > static_cast<std::size_t>(INT_MAX) || RAND_bytes(bytes(out), static_cast<int>(n)) != 1) {
    openssl_failed("random generator");
  }
  return out;
}

}  // namespace instantly::secrets::detail
