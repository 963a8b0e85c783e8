// The process's connected TCP sockets, found by scanning /proc/self/fd.
//
// cpp-httplib never hands its sockets to handlers or to the code that stops
// the server, yet the mock needs them twice: to drop one connection as an
// injected fault, and to close idle keep-alive connections at shutdown (the
// server would otherwise wait out their keep-alive timeout). A TCP
// connection is identified by its (local port, remote port) pair.
#pragma once

#include <functional>

namespace instantly::mock {

/// Calls `visit(fd, local_port, remote_port)` for every connected TCP socket.
void for_each_connected_socket(const std::function<void(int fd, int local_port, int remote_port)>& visit);

/// Shuts down (both directions) every connection accepted on `local_port`.
void shutdown_connections_on(int local_port);

}  // namespace instantly::mock
