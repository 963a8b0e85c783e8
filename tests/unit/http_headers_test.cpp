// HttpHeaders semantics, and how raw response header lines become HttpHeaders.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "instantly/transport.hpp"
#include "transport/response_sink.hpp"

using instantly::HttpHeaders;

TEST_CASE("HttpHeaders: get ignores ASCII case and returns the first value") {
  HttpHeaders headers{{"Content-Type", "application/json"}, {"X-Repeat", "one"}, {"x-repeat", "two"}};
  CHECK(headers.get("content-type") == "application/json");
  CHECK(headers.get("CONTENT-TYPE") == "application/json");
  CHECK(headers.get("X-REPEAT") == "one");
  CHECK(headers.contains("x-Repeat"));
  CHECK_FALSE(headers.get("Content-Length").has_value());
  CHECK_FALSE(headers.contains("Content-Typ"));
}

TEST_CASE("HttpHeaders: add keeps repeats and order") {
  HttpHeaders headers;
  CHECK(headers.empty());
  headers.add("Set-Cookie", "a=1");
  headers.add("Accept", "*/*");
  headers.add("set-cookie", "b=2");
  REQUIRE(headers.entries().size() == 3);
  CHECK(headers.entries()[0] == HttpHeaders::Entry{"Set-Cookie", "a=1"});
  CHECK(headers.entries()[1] == HttpHeaders::Entry{"Accept", "*/*"});
  CHECK(headers.entries()[2] == HttpHeaders::Entry{"set-cookie", "b=2"});
}

TEST_CASE("HttpHeaders: set replaces every same-named entry with one, where the first was") {
  HttpHeaders headers{{"A", "1"}, {"X-Key", "old1"}, {"B", "2"}, {"x-key", "old2"}, {"C", "3"}};
  headers.set("X-KEY", "new");
  const std::vector<HttpHeaders::Entry> expected{{"A", "1"}, {"X-KEY", "new"}, {"B", "2"}, {"C", "3"}};
  CHECK(headers.entries() == expected);
}

TEST_CASE("HttpHeaders: set appends a header that is not there yet") {
  HttpHeaders headers{{"A", "1"}};
  headers.set("B", "2");
  const std::vector<HttpHeaders::Entry> expected{{"A", "1"}, {"B", "2"}};
  CHECK(headers.entries() == expected);
}

TEST_CASE("HttpHeaders: remove drops every entry of that name, in any case") {
  HttpHeaders headers{{"A", "1"}, {"Authorization", "k"}, {"AUTHORIZATION", "k2"}, {"B", "2"}};
  headers.remove("authorization");
  const std::vector<HttpHeaders::Entry> expected{{"A", "1"}, {"B", "2"}};
  CHECK(headers.entries() == expected);
  headers.remove("missing");  // no-op
  CHECK(headers.entries().size() == 2);
}

TEST_CASE("HttpHeaders: case folding is ASCII-only and exact in length") {
  HttpHeaders headers{{"X-\xC3\x84", "umlaut"}};
  CHECK(headers.get("x-\xC3\x84") == "umlaut");
  CHECK_FALSE(headers.get("x-\xC3\xA4").has_value());  // no Unicode folding
  CHECK_FALSE(headers.get("X-").has_value());
}

namespace {

std::vector<HttpHeaders::Entry> absorb(const std::vector<std::string>& lines) {
  std::vector<HttpHeaders::Entry> entries;
  for (const auto& line : lines) instantly::detail::absorb_header_line(line, entries);
  return entries;
}

}  // namespace

TEST_CASE("response header lines: names and values are trimmed, the blank line ignored") {
  const auto entries = absorb({"HTTP/1.1 200 OK\r\n", "Content-Type:  application/json \r\n",
                               "X-Empty:\r\n", "X-Colon: a:b\r\n", "\r\n"});
  const std::vector<HttpHeaders::Entry> expected{
      {"Content-Type", "application/json"}, {"X-Empty", ""}, {"X-Colon", "a:b"}};
  CHECK(entries == expected);
}

TEST_CASE("response header lines: each status line starts over, so only the final response counts") {
  const auto entries = absorb({"HTTP/1.1 100 Continue\r\n", "X-Interim: 1\r\n", "\r\n",
                               "HTTP/2 200\r\n", "x-final: yes\r\n", "\r\n"});
  const std::vector<HttpHeaders::Entry> expected{{"x-final", "yes"}};
  CHECK(entries == expected);
}

TEST_CASE("response header lines: folded continuations join the previous value") {
  const auto entries = absorb({"HTTP/1.1 200 OK\r\n", "X-Long: first\r\n", "\t second\r\n", "Junk without colon\r\n"});
  const std::vector<HttpHeaders::Entry> expected{{"X-Long", "first second"}};
  CHECK(entries == expected);
}
