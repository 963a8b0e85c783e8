// A user's program built against the installed package: it must compile with
// only the public headers and link with what the package config declares.
#include <instantly/instantly.hpp>

#include <iostream>

int main() {
  instantly::Json body = instantly::Json::parse(R"({"name":"Cafes LA","limit":5})");
  try {
    instantly::Client client({.api_key = "", .base_url = "http://127.0.0.1:4010"});
    return 1;  // an empty key must be refused
  } catch (const instantly::ValidationError&) {
  }
  std::cout << "instantly " << instantly::kVersion << " " << body.dump() << "\n";
  return body.at("limit").as_int() == 5 ? 0 : 1;
}
