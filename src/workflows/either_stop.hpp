// A stop token that fires when either of two does: a per-call stop on top of
// the one an object was built with (a service's shutdown, say).
#pragma once

#include <stop_token>

namespace instantly::workflows::detail {

class EitherStop {
 public:
  EitherStop(const std::stop_token& first, const std::stop_token& second)
      : on_first_(first, Relay{&source_}), on_second_(second, Relay{&source_}) {}
  EitherStop(const EitherStop&) = delete;
  EitherStop& operator=(const EitherStop&) = delete;

  std::stop_token token() const noexcept { return source_.get_token(); }

 private:
  struct Relay {
    std::stop_source* source;
    void operator()() const noexcept { source->request_stop(); }
  };

  std::stop_source source_;  // before the callbacks, which may fire while they are made
  std::stop_callback<Relay> on_first_;
  std::stop_callback<Relay> on_second_;
};

}  // namespace instantly::workflows::detail
