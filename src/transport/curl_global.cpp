#include "transport/curl_global.hpp"

#include <curl/curl.h>

#include <string>

#include "instantly/error.hpp"

namespace instantly::detail {
namespace {

struct CurlGlobal {
  CurlGlobal() {
    const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK) {
      // A throwing static initialiser is retried on the next call, which is what we want.
      throw ApiConnectionError(ApiConnectionError::Stage::Other,
                               std::string("libcurl initialisation failed: ") + curl_easy_strerror(rc));
    }
  }
  // No curl_global_cleanup: transports owned by other statics or by detached
  // threads may still be running during static destruction, and the process
  // is about to release everything anyway.
};

}  // namespace

void ensure_curl_initialised() {
  // C++ guarantees a function-local static is initialised once, thread-safely.
  static const CurlGlobal once;
  (void)once;
}

}  // namespace instantly::detail
