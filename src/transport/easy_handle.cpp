#include "transport/easy_handle.hpp"

#include "instantly/error.hpp"

namespace instantly::detail {

EasyHandle::EasyHandle(CURLSH* share) : curl_(curl_easy_init()) {
  if (curl_ == nullptr) {
    throw ApiConnectionError(ApiConnectionError::Stage::Other, "could not create a libcurl easy handle");
  }
  // curl_easy_reset keeps the share, so attaching it once is enough.
  curl_easy_setopt(curl_, CURLOPT_SHARE, share);
  attach_error_buffer();
}

EasyHandle::~EasyHandle() { curl_easy_cleanup(curl_); }

void EasyHandle::reset() noexcept {
  curl_easy_reset(curl_);
  attach_error_buffer();
}

void EasyHandle::attach_error_buffer() noexcept {
  error_buffer_[0] = '\0';
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_buffer_.data());
}

}  // namespace instantly::detail
