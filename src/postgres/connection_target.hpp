// What a connection string names (server, database, user), read with libpq's
// own parser, so messages can say where we connected without the password.
#pragma once

#include <string>
#include <string_view>

namespace instantly::postgres::detail {

struct ConnectionTarget {
  /// "postgresql://user@host:port/database", with whatever the string leaves out omitted.
  std::string display;
  /// The password in the string, if any: scrubbed from every message.
  std::string password;
};

/// Throws ValidationError for a string libpq cannot read, without quoting it
/// (it may hold a password).
ConnectionTarget read_connection_target(std::string_view url);

/// `message` with every occurrence of `password` replaced by "***" (passwords
/// shorter than 4 characters are left: they would mangle the message, and
/// PostgreSQL does not echo passwords in the first place).
std::string scrub(std::string message, const std::string& password);

}  // namespace instantly::postgres::detail
