// A pipeline built against the installed package's postgres component. No
// server runs here: the migrations must be compiled in, and connecting to port
// 9 must fail clearly, naming the server and not the password.
#include <instantly/postgres.hpp>

#include <iostream>
#include <string>

int main() {
  const auto& shipped = instantly::postgres::migrations();
  if (shipped.empty() || instantly::postgres::latest_schema_version() != shipped.back().version) return 1;
  try {
    instantly::postgres::Database database({.url = "postgresql://app:secret-4412@127.0.0.1:9/pipeline"});
  } catch (const instantly::DatabaseError& e) {
    const std::string message = e.what();
    std::cout << message << "\n";
    return message.find("127.0.0.1:9/pipeline") != std::string::npos && message.find("secret") == std::string::npos
               ? 0
               : 1;
  }
  return 1;
}
