// Answers the client will not keep: bodies past max_response_bytes (declared, streamed without
// end, or small on the wire and huge once inflated) and redirects, against real HTTP servers on
// 127.0.0.1.
#include <doctest/doctest.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <thread>

#include "instantly/client.hpp"
#include "instantly/error.hpp"
#include "instantly/transport.hpp"
#include "support/local_server.hpp"

namespace {

using instantly::ResponseTooLargeError;
using instantly::testing::LocalServer;
using namespace std::chrono_literals;

constexpr std::size_t kMiB = std::size_t{1} << 20;
constexpr const char* kKey = "sk_test_bounded_0123456789";

instantly::HttpRequest get(const std::string& url, std::size_t max_bytes) {
  instantly::HttpRequest request;
  request.url = url;
  request.timeout = 20s;
  request.max_response_bytes = max_bytes;
  return request;
}

// `plain_bytes` zero bytes, gzip-compressed (a thousandfold smaller: a decompression bomb).
std::string gzip_of_zeros(std::size_t plain_bytes) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  const std::string zeros(kMiB, '\0');
  std::string out;
  char buffer[64 * 1024];
  for (std::size_t left = plain_bytes; left > 0 || stream.avail_in > 0;) {
    if (stream.avail_in == 0) {
      const std::size_t take = left < zeros.size() ? left : zeros.size();
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
      stream.avail_in = static_cast<uInt>(take);
      left -= take;
    }
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    deflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = deflate(&stream, Z_FINISH);
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  deflateEnd(&stream);
  return out;
}

TEST_CASE("a body whose declared length passes the limit is refused before it is read") {
  LocalServer server([](httplib::Server& s) {
    s.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(2 * kMiB, 'x'), "application/octet-stream");
    });
  });
  auto transport = instantly::testing::make_local_transport();
  try {
    transport->send(get(server.url() + "/big", kMiB));
    FAIL("a 2 MiB body passed a 1 MiB limit");
  } catch (const ResponseTooLargeError& e) {
    CHECK(e.limit() == kMiB);
    CHECK(std::string(e.what()).find("max_response_bytes") != std::string::npos);
  }
  // Up to the limit is fine, and the transport goes on working.
  CHECK(transport->send(get(server.url() + "/big", 2 * kMiB)).body.size() == 2 * kMiB);
}

TEST_CASE("an endless chunked body is abandoned at the limit, not buffered until the timeout") {
  std::atomic<std::size_t> sent{0};
  std::atomic<bool> peer_gone{false};
  LocalServer server([&](httplib::Server& s) {
    s.Get("/endless", [&](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("application/octet-stream", [&](std::size_t, httplib::DataSink& sink) {
        const std::string chunk(64 * 1024, 'y');
        while (sink.write(chunk.data(), chunk.size())) sent += chunk.size();
        peer_gone = true;  // the client hung up
        return false;
      });
    });
  });
  auto transport = instantly::testing::make_local_transport();
  CHECK_THROWS_AS(transport->send(get(server.url() + "/endless", kMiB)), ResponseTooLargeError);
  for (int i = 0; i < 500 && !peer_gone; ++i) std::this_thread::sleep_for(10ms);
  CHECK(peer_gone);
  // What the server got out before it noticed: the limit plus what sockets buffer on the way.
  CHECK(sent < kMiB + 16 * kMiB);
}

TEST_CASE("the limit counts the body decompressed: a small gzip body that inflates past it is refused") {
  const std::string bomb = gzip_of_zeros(64 * kMiB);  // about 64 KiB on the wire
  REQUIRE(bomb.size() < kMiB / 4);
  LocalServer server([&](httplib::Server& s) {
    s.Get("/bomb", [&](const httplib::Request&, httplib::Response& res) {
      res.set_header("Content-Encoding", "gzip");
      res.set_content(bomb, "application/octet-stream");  // not a type httplib compresses itself
    });
  });
  auto transport = instantly::testing::make_local_transport();
  CHECK_THROWS_AS(transport->send(get(server.url() + "/bomb", kMiB)), ResponseTooLargeError);
  // With room for all of it, it arrives whole: the limit is what stopped it, not the encoding.
  CHECK(transport->send(get(server.url() + "/bomb", 64 * kMiB)).body == std::string(64 * kMiB, '\0'));
}

TEST_CASE("a client's limit and a call's own: the call is not retried and says which request it was") {
  std::atomic<int> requests{0};
  LocalServer server([&](httplib::Server& s) {
    s.Get("/api/v2/campaigns", [&](const httplib::Request&, httplib::Response& res) {
      ++requests;
      res.set_content(R"({"items":[{"id":")" + std::string(4096, 'c') + R"("}]})", "application/json");
    });
  });
  instantly::Client client({.api_key = kKey,
                            .base_url = server.url(),
                            .max_response_bytes = 1024,
                            .transport = instantly::testing::make_local_transport()});
  try {
    client.request("GET", "/api/v2/campaigns");
    FAIL("a 4 KiB answer passed a 1 KiB limit");
  } catch (const ResponseTooLargeError& e) {
    CHECK(e.limit() == 1024);
    CHECK(e.method() == "GET");
    CHECK(e.path() == "/api/v2/campaigns");
    CHECK(e.attempts() == 1);
    CHECK(std::string(e.what()).find(kKey) == std::string::npos);
  }
  CHECK(requests == 1);  // the same request would get the same answer: not retried
  const instantly::Json answer = client.request("GET", "/api/v2/campaigns", {.max_response_bytes = 64 * 1024});
  REQUIRE(answer.find("items") != nullptr);
  CHECK(answer.find("items")->as_array().size() == 1);
}

TEST_CASE("a redirect is not followed and names only the origin it points to") {
  std::atomic<int> requests{0};
  LocalServer server([&](httplib::Server& s) {
    s.Get("/api/v2/campaigns", [&](const httplib::Request&, httplib::Response& res) {
      ++requests;
      res.status = 302;
      res.set_header("Location", "https://user:hunter2@elsewhere.example:8443/collect?token=abc#x");
    });
    s.Get("/api/v2/workspaces/current", [&](const httplib::Request&, httplib::Response& res) {
      res.status = 307;
      res.set_header("Location", "/api/v2/workspaces/other");
    });
  });
  instantly::Client client(
      {.api_key = kKey, .base_url = server.url(), .transport = instantly::testing::make_local_transport()});
  try {
    client.request("GET", "/api/v2/campaigns");
    FAIL("a 302 was taken for an answer");
  } catch (const instantly::ApiError& e) {
    const std::string what = e.what();
    CHECK(e.status() == 302);
    CHECK(e.message() == "unexpected redirect to https://elsewhere.example:8443 (redirects are not followed)");
    for (const char* hidden : {"hunter2", "collect", "token", kKey}) CHECK(what.find(hidden) == std::string::npos);
  }
  CHECK(requests == 1);
  try {
    client.request("GET", "/api/v2/workspaces/current");
    FAIL("a 307 was taken for an answer");
  } catch (const instantly::ApiError& e) {
    CHECK(e.message() == "unexpected redirect to a path on the same server (redirects are not followed)");
  }
}

}  // namespace
