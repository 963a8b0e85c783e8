#include "wire_faults.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <memory>

namespace instantly::mock {

namespace {

int port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return -1;
}

}  // namespace

void drop_connection(const httplib::Request& request) {
  // cpp-httplib does not hand the socket to handlers. A TCP connection is
  // identified by its (local port, remote port) pair though, so the socket is
  // found among the process's descriptors. Only used for injected faults.
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir("/proc/self/fd"), closedir);
  if (!dir) return;
  while (dirent* entry = readdir(dir.get())) {
    int fd = std::atoi(entry->d_name);
    if (fd <= 2) continue;
    sockaddr_storage local{}, peer{};
    socklen_t local_size = sizeof local, peer_size = sizeof peer;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0) continue;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0) continue;
    if (port_of(local) == request.local_port && port_of(peer) == request.remote_port) {
      shutdown(fd, SHUT_RDWR);
      return;
    }
  }
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
