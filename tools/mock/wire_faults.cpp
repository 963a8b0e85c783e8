#include "wire_faults.hpp"

#include <sys/socket.h>

#include <memory>

#include "open_sockets.hpp"

namespace instantly::mock {

void drop_connection(const httplib::Request& request) {
  for_each_connected_socket([&request](int fd, int local_port, int remote_port) {
    if (local_port == request.local_port && remote_port == request.remote_port) shutdown(fd, SHUT_RDWR);
  });
}

void send_truncated(httplib::Response& response, std::string body, const std::string& content_type) {
  auto shared = std::make_shared<std::string>(std::move(body));
  std::size_t length = shared->size();
  response.set_content_provider(length, content_type,
                                [shared](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                  if (offset == 0 && shared->size() > 1) sink.write(shared->data(), shared->size() / 2);
                                  // false: cpp-httplib stops writing and closes the connection,
                                  // short of the Content-Length it announced.
                                  return false;
                                });
}

}  // namespace instantly::mock
