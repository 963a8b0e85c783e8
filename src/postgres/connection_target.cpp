#include "postgres/connection_target.hpp"

#include <libpq-fe.h>

#include <memory>

#include "instantly/error.hpp"

namespace instantly::postgres::detail {
namespace {

struct OptionsDeleter {
  void operator()(PQconninfoOption* options) const noexcept { PQconninfoFree(options); }
};

}  // namespace

ConnectionTarget read_connection_target(std::string_view url) {
  if (url.empty()) {
    throw ValidationError("no PostgreSQL URL: expected postgresql://user:password@host:port/database");
  }
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, OptionsDeleter> options(PQconninfoParse(std::string(url).c_str(), &error));
  if (!options) {
    // libpq's message may quote the string, password and all: say what we expect instead.
    PQfreemem(error);
    throw ValidationError(
        "the PostgreSQL URL does not parse: expected postgresql://user:password@host:port/database "
        "or libpq key=value pairs");
  }
  std::string host, port, database, user;
  ConnectionTarget target;
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    const std::string_view keyword = option->keyword;
    if (keyword == "host" || keyword == "hostaddr") {
      if (host.empty()) host = option->val;
    } else if (keyword == "port") {
      port = option->val;
    } else if (keyword == "dbname") {
      database = option->val;
    } else if (keyword == "user") {
      user = option->val;
    } else if (keyword == "password") {
      target.password = option->val;
    }
  }
  target.display = "postgresql://";
  if (!user.empty()) target.display += user + "@";
  target.display += host.empty() ? "localhost" : host;
  if (!port.empty()) target.display += ":" + port;
  if (!database.empty()) target.display += "/" + database;
  return target;
}

std::string scrub(std::string message, const std::string& password) {
  if (password.size() < 4) return message;
  for (auto at = message.find(password); at != std::string::npos; at = message.find(password, at + 3)) {
    message.replace(at, password.size(), "***");
  }
  return message;
}

}  // namespace instantly::postgres::detail
