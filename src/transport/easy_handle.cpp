#include "transport/easy_handle.hpp"

#include <string>

#include "instantly/error.hpp"

namespace instantly::detail {
namespace {

[[noreturn]] void throw_multi_failure(CURLMcode code) {
  throw ApiConnectionError(ApiConnectionError::Stage::Other,
                           std::string("libcurl could not run the transfer: ") + curl_multi_strerror(code));
}

// Attached for one transfer; removing the handle before the transfer is done
// abandons it and closes its connection.
class Attached {
 public:
  Attached(CURLM* multi, CURL* curl) : multi_(multi), curl_(curl) {
    if (CURLMcode code = curl_multi_add_handle(multi_, curl_); code != CURLM_OK) throw_multi_failure(code);
  }
  ~Attached() { curl_multi_remove_handle(multi_, curl_); }
  Attached(const Attached&) = delete;
  Attached& operator=(const Attached&) = delete;

 private:
  CURLM* multi_;
  CURL* curl_;
};

}  // namespace

EasyHandle::EasyHandle(CURLSH* share) : multi_(curl_multi_init()), curl_(curl_easy_init()) {
  if (multi_ == nullptr || curl_ == nullptr) {
    if (curl_ != nullptr) curl_easy_cleanup(curl_);
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
    throw ApiConnectionError(ApiConnectionError::Stage::Other, "could not create a libcurl handle");
  }
  // The handle keeps just the connection it last used; the pool's size then
  // bounds the idle connections of the whole transport.
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, 1L);
  // curl_easy_reset keeps the share, so attaching it once is enough.
  curl_easy_setopt(curl_, CURLOPT_SHARE, share);
  attach_error_buffer();
}

EasyHandle::~EasyHandle() {
  // The connection cache lives in the multi handle: the easy handle goes first.
  curl_easy_cleanup(curl_);
  curl_multi_cleanup(multi_);
}

void EasyHandle::reset() noexcept {
  curl_easy_reset(curl_);
  attach_error_buffer();
}

std::optional<CURLcode> EasyHandle::perform(const std::stop_token& stop) {
  Attached attached(multi_, curl_);
  // Runs on the requesting thread; curl_multi_wakeup is safe from any thread.
  std::stop_callback wake(stop, [this] { curl_multi_wakeup(multi_); });
  for (;;) {
    int running = 0;
    if (CURLMcode code = curl_multi_perform(multi_, &running); code != CURLM_OK) throw_multi_failure(code);
    if (running == 0) break;
    if (stop.stop_requested()) return std::nullopt;
    // Up to a second at a time: curl's own timers (timeouts) end the wait sooner when due.
    if (CURLMcode code = curl_multi_poll(multi_, nullptr, 0, 1000, nullptr); code != CURLM_OK) {
      throw_multi_failure(code);
    }
  }
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
    if (message->msg == CURLMSG_DONE && message->easy_handle == curl_) return message->data.result;
  }
  return CURLE_OK;  // not reached: a transfer that stopped running always leaves its DONE message
}

void EasyHandle::attach_error_buffer() noexcept {
  error_buffer_[0] = '\0';
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_buffer_.data());
}

}  // namespace instantly::detail
