#include "transport/curl_request.hpp"

#include <new>
#include <string>

#include "transport/http_syntax.hpp"

namespace instantly::detail {
namespace {

void append(HeaderList& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown == nullptr) throw std::bad_alloc();
  (void)list.release();  // curl_slist_append extends the list in place and returns its head
  list.reset(grown);
}

std::string header_line(const std::string& name, const std::string& value) {
  // "Name:" alone would tell libcurl to drop the header; "Name;" is its
  // spelling for "send this header with an empty value".
  if (value.empty()) return name + ";";
  return name + ": " + value;
}

}  // namespace

HeaderList build_header_list(const HttpRequest& request) {
  HeaderList list;
  for (const auto& [name, value] : request.headers) {
    check_http_header(name, value);
    append(list, header_line(name, value));
  }
  // libcurl would otherwise wait for "100 Continue" before sending larger bodies.
  if (!request.headers.contains("Expect")) append(list, "Expect:");
  // With a body, libcurl defaults to application/x-www-form-urlencoded; the
  // caller decides the type, and "no type" must stay "no type".
  if (request.body && !request.headers.contains("Content-Type")) append(list, "Content-Type:");
  return list;
}

void apply_method_and_body(CURL* curl, const HttpRequest& request) {
  const std::string& method = request.method;
  check_http_method(method);
  if (request.body) {
    const std::string& body = *request.body;
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    // POSTFIELDS makes it a POST; any other method keeps its name and the body.
    if (method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    return;
  }
  if (method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    // NOBODY is what stops libcurl waiting for a body a HEAD reply never has.
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    // A plain GET renamed: no body, so no Content-Length or Content-Type either.
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
}

}  // namespace instantly::detail
