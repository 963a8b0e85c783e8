// The caches every easy handle of one transport shares: resolved names and
// TLS sessions, guarded by one mutex per kind of data.
#pragma once

#include <curl/curl.h>

#include <array>
#include <mutex>

namespace instantly::detail {

class CurlShare {
 public:
  CurlShare();  ///< throws ApiConnectionError (stage Other) if libcurl refuses
  ~CurlShare();
  CurlShare(const CurlShare&) = delete;
  CurlShare& operator=(const CurlShare&) = delete;

  CURLSH* get() const noexcept { return share_; }

 private:
  static void lock(CURL* handle, curl_lock_data data, curl_lock_access access, void* self);
  static void unlock(CURL* handle, curl_lock_data data, void* self);
  std::mutex& mutex_for(curl_lock_data data) noexcept;

  // Declared before share_ so they outlive it: curl locks them while cleaning up.
  std::array<std::mutex, CURL_LOCK_DATA_LAST> mutexes_;
  CURLSH* share_ = nullptr;
};

}  // namespace instantly::detail
