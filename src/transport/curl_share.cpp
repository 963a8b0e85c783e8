#include "transport/curl_share.hpp"

#include <string>

#include "instantly/error.hpp"

namespace instantly::detail {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw ApiConnectionError(ApiConnectionError::Stage::Other, "libcurl share setup failed: " + what);
}

}  // namespace

CurlShare::CurlShare() : share_(curl_share_init()) {
  if (share_ == nullptr) fail("curl_share_init returned null");

  // The connection cache is deliberately NOT shared (CURL_LOCK_DATA_CONNECT):
  // libcurl documents that sharing it between concurrent threads is
  // unsupported (known bug, curl issues #4915 / #9404). Connections are reused
  // across threads instead by pooling whole easy handles, each of which keeps
  // its own live connection between calls.
  for (const curl_lock_data data : {CURL_LOCK_DATA_DNS, CURL_LOCK_DATA_SSL_SESSION}) {
    if (const CURLSHcode rc = curl_share_setopt(share_, CURLSHOPT_SHARE, data); rc != CURLSHE_OK) {
      curl_share_cleanup(share_);
      fail(curl_share_strerror(rc));
    }
  }
  curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
  curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlShare::lock);
  curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &CurlShare::unlock);
}

CurlShare::~CurlShare() { curl_share_cleanup(share_); }

std::mutex& CurlShare::mutex_for(curl_lock_data data) noexcept {
  const auto index = static_cast<std::size_t>(data);
  return mutexes_[index < mutexes_.size() ? index : 0];
}

void CurlShare::lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
  static_cast<CurlShare*>(self)->mutex_for(data).lock();
}

void CurlShare::unlock(CURL*, curl_lock_data data, void* self) {
  static_cast<CurlShare*>(self)->mutex_for(data).unlock();
}

}  // namespace instantly::detail
