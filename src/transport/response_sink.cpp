#include "transport/response_sink.hpp"

#include <string>
#include <utility>

namespace instantly::detail {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kWhitespace);
  return s.substr(first, last - first + 1);
}

bool is_status_line(std::string_view line) { return line.starts_with("HTTP/"); }

bool is_continuation(std::string_view line) {
  return !line.empty() && (line.front() == ' ' || line.front() == '\t');
}

}  // namespace

void absorb_header_line(std::string_view line, std::vector<HttpHeaders::Entry>& entries) {
  if (is_status_line(line)) {
    entries.clear();
    return;
  }
  const std::string_view content = trim(line);
  if (content.empty()) return;  // the blank line that ends a header block
  if (is_continuation(line)) {
    if (!entries.empty()) entries.back().second.append(" ").append(content);
    return;
  }
  const auto colon = content.find(':');
  if (colon == std::string_view::npos || colon == 0) return;  // not a header; ignore rather than guess
  entries.emplace_back(std::string(trim(content.substr(0, colon))),
                       std::string(trim(content.substr(colon + 1))));
}

HttpHeaders ResponseSink::take_headers() {
  HttpHeaders headers;
  for (auto& [name, value] : header_entries) headers.add(std::move(name), std::move(value));
  header_entries.clear();
  return headers;
}

std::size_t ResponseSink::on_header(char* data, std::size_t size, std::size_t count, void* self) noexcept {
  auto& sink = *static_cast<ResponseSink*>(self);
  const std::size_t length = size * count;
  sink.header_bytes += length;
  if (sink.header_bytes > sink.max_bytes) {
    sink.too_large = true;
    return 0;
  }
  try {
    absorb_header_line(std::string_view(data, length), sink.header_entries);
  } catch (...) {
    sink.failure = std::current_exception();
    return 0;  // anything but `length` makes curl abort the transfer
  }
  return length;
}

std::size_t ResponseSink::on_body(char* data, std::size_t size, std::size_t count, void* self) noexcept {
  auto& sink = *static_cast<ResponseSink*>(self);
  const std::size_t length = size * count;
  if (length > sink.max_bytes - sink.body.size()) {  // body.size() never exceeds max_bytes
    sink.too_large = true;
    return 0;
  }
  try {
    sink.body.append(data, length);
  } catch (...) {
    sink.failure = std::current_exception();
    return 0;
  }
  return length;
}

}  // namespace instantly::detail
