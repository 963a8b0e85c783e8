// Faults that happen below HTTP: a connection reset before any response, and
// a body cut off halfway.
#pragma once

#include <httplib.h>

#include <string>

namespace instantly::mock {

/// Shuts down the TCP connection a request arrived on, so the client sees
/// the connection close with no response at all.
void drop_connection(const httplib::Request& request);

/// Sends the headers with the full Content-Length, then half of `body`, then
/// closes the connection.
void send_truncated(httplib::Response& response, std::string body, const std::string& content_type);

}  // namespace instantly::mock
