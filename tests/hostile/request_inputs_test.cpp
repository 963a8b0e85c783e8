// Hostile input on the way out: keys, URLs, headers, methods and path ids carrying control
// characters, line breaks or dot segments. Each is refused with a ValidationError before
// anything reaches the transport (the fake transport records nothing), or, where the input is
// legitimate, it reaches the wire encoded so that it cannot change the request's meaning.
#include <doctest/doctest.h>

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "instantly/instantly.hpp"
#include "support/fake_transport.hpp"
#include "support/text.hpp"

namespace hostile_request_inputs {

using instantly::Client;
using instantly::ClientOptions;
using instantly::ValidationError;
using instantly::testing::contains;
using instantly::testing::FakeTransport;
using instantly::testing::json_response;

constexpr const char* kKey = "sk_hostile_SECRET_7f3a";

struct Recorder {
  std::shared_ptr<FakeTransport> transport =
      std::make_shared<FakeTransport>(std::vector<FakeTransport::Step>{json_response(200, R"({"id":"c1"})")});

  ClientOptions options() const {
    return {.api_key = kKey, .base_url = "http://127.0.0.1:9", .rate_limit = {.enabled = false}, .transport = transport};
  }
  Client client() const { return Client(options()); }
  std::string last_url() const { return transport->requests().back().url; }
};

// The refusal names the problem, never carries the key, and nothing was sent.
template <class Call>
std::string refused(const Recorder& recorder, Call&& call) {
  std::string what;
  try {
    call();
    FAIL("hostile input was accepted");
  } catch (const ValidationError& e) {
    what = e.what();
  }
  CHECK_FALSE(contains(what, kKey));
  CHECK(recorder.transport->request_count() == 0);
  return what;
}

std::string refused_key(std::string key) {
  ClientOptions options{.api_key = std::move(key), .base_url = "http://127.0.0.1:9"};
  try {
    Client client(options);
    FAIL("a malformed key was accepted");
  } catch (const ValidationError& e) {
    return e.what();
  }
  return {};
}


TEST_CASE("an API key with a line break is refused without quoting it") {
  const std::string what = refused_key(std::string(kKey) + "\r\nX-Injected: 1");
  CHECK(contains(what, "control characters"));
  CHECK_FALSE(contains(what, kKey));
  CHECK_FALSE(contains(what, "X-Injected"));
}

TEST_CASE("an API key with a NUL, a DEL or a tab inside is refused, not truncated") {
  for (const std::string& bad : {std::string(kKey) + std::string(1, '\0') + "tail", std::string(kKey) + "\x7f",
                                 std::string("sk_hostile\tSECRET_7f3a"), std::string(" ") + kKey}) {
    const std::string what = refused_key(bad);
    CHECK(contains(what, "API key"));
    CHECK_FALSE(contains(what, "SECRET_7f3a"));
  }
}

TEST_CASE("a base URL with a line break or a space is refused at construction, without echoing it") {
  Recorder r;
  for (const char* url : {"http://127.0.0.1:9\r\nX-Injected: 1", "http://127.0.0.1:9/ api", "http://127.0.0.1:9\t",
                          "http://127.0.0.1:9/\x01"}) {
    ClientOptions options = r.options();
    options.base_url = url;
    const std::string what = refused(r, [&] { Client client(options); });
    CHECK(contains(what, "base_url"));
    CHECK_FALSE(contains(what, "X-Injected"));
  }
}

TEST_CASE("a base URL of another scheme is refused") {
  Recorder r;
  for (const char* url : {"file:///etc/passwd", "javascript:alert(1)", "ftp://127.0.0.1/", "127.0.0.1:9", ""}) {
    ClientOptions options = r.options();
    options.base_url = url;
    CHECK(contains(refused(r, [&] { Client client(options); }), "http://"));
  }
}

TEST_CASE("a workspace id or User-Agent with a line break is refused at construction") {
  Recorder r;
  ClientOptions workspace = r.options();
  workspace.workspace = "ws_1\r\nAuthorization: Bearer stolen";
  CHECK(contains(refused(r, [&] { Client client(workspace); }), "workspace"));
  ClientOptions agent = r.options();
  agent.user_agent = std::string("my-app/1.0\nX-Evil: 1");
  CHECK(contains(refused(r, [&] { Client client(agent); }), "user_agent"));
  ClientOptions nul = r.options();
  nul.workspace = std::string("ws_1\0ws_2", 9);
  CHECK(contains(refused(r, [&] { Client client(nul); }), "workspace"));
}

TEST_CASE("a header value with CR or LF is refused before the transport sees it") {
  Recorder r;
  const Client client = r.client();
  for (const char* value : {"a\r\nAuthorization: Bearer evil", "a\nb", "a\rb"}) {
    const std::string what = refused(r, [&] { client.request("GET", "/api/v2/campaigns", {.headers = {{"X-Trace", value}}}); });
    CHECK(contains(what, "X-Trace"));
  }
}

TEST_CASE("a header value with a NUL or another control byte is refused, not cut short") {
  Recorder r;
  const Client client = r.client();
  for (const std::string& value : {std::string("abc\0def", 7), std::string("abc\x7f"), std::string("\x1b[31m")}) {
    CHECK(contains(refused(r, [&] { client.request("GET", "/api/v2/campaigns", {.headers = {{"X-Trace", value}}}); }),
                   "X-Trace"));
  }
  // A tab and bytes above 0x7f are legal in a field value (RFC 9110 §5.5): sent as given.
  client.request("GET", "/api/v2/campaigns", {.headers = {{"X-Trace", "a\tb \xc3\xa9"}}});
  CHECK(r.transport->requests().back().headers.get("X-Trace") == "a\tb \xc3\xa9");
}

TEST_CASE("a header name that is not a token is refused: no second Authorization through a colon") {
  Recorder r;
  const Client client = r.client();
  for (const char* name : {"Authorization:x", "Authorization ", "X Trace", "X-Trace\r\nHost", "", "(x)"}) {
    const std::string what =
        refused(r, [&] { client.request("GET", "/api/v2/campaigns", {.headers = {{name, "Bearer evil"}}}); });
    CHECK(contains(what, "header"));
  }
}

TEST_CASE("the caller's Authorization header in any case never replaces the key") {
  Recorder r;
  const Client client = r.client();
  client.request("GET", "/api/v2/campaigns", {.headers = {{"aUtHoRiZaTiOn", "Bearer evil"}}});
  const auto sent = r.transport->requests().back().headers;
  CHECK(sent.get("Authorization") == std::string("Bearer ") + kKey);
  int authorizations = 0;
  for (const auto& [name, value] : sent) authorizations += (name.size() == 13 && (name[0] == 'A' || name[0] == 'a'));
  CHECK(authorizations == 1);
}

TEST_CASE("a method that is not a token is refused before sending") {
  Recorder r;
  const Client client = r.client();
  for (const std::string& method : {std::string("GET /x HTTP/1.1\r\nHost: evil\r\n\r\nGET"), std::string("GE T"),
                                    std::string(""), std::string("GET\0", 4)}) {
    CHECK(contains(refused(r, [&] { client.request(method, "/api/v2/campaigns"); }), "method"));
  }
}

TEST_CASE("a raw path with a line break, a space or a NUL is refused") {
  Recorder r;
  const Client client = r.client();
  for (const std::string& path : {std::string("/api/v2/campaigns\r\nX-Evil: 1"), std::string("/api/v2/camp aigns"),
                                  std::string("/api/v2/campaigns?limit=1 HTTP/1.1"), std::string("/api/v2/c\0x", 12)}) {
    CHECK(contains(refused(r, [&] { client.request("GET", path); }), "path"));
  }
}

TEST_CASE("an id that tries to leave its path segment stays inside it, percent-encoded") {
  Recorder r;
  const Client client = r.client();
  (void)client.campaigns().get("../accounts");
  CHECK(r.last_url() == "http://127.0.0.1:9/api/v2/campaigns/..%2Faccounts");
  (void)client.campaigns().get("x?limit=1000#frag");
  CHECK(r.last_url() == "http://127.0.0.1:9/api/v2/campaigns/x%3Flimit%3D1000%23frag");
  (void)client.campaigns().get("a/../../workspaces/current");
  CHECK(r.last_url() == "http://127.0.0.1:9/api/v2/campaigns/a%2F..%2F..%2Fworkspaces%2Fcurrent");
  (void)client.campaigns().get("%2e%2e");  // already encoded: its '%' is encoded again
  CHECK(r.last_url() == "http://127.0.0.1:9/api/v2/campaigns/%252e%252e");
}

TEST_CASE("an id of '..' or '.' is refused: it would name another resource once normalised") {
  Recorder r;
  const Client client = r.client();
  for (const char* id : {"..", "."}) {
    CHECK(contains(refused(r, [&] { (void)client.campaigns().get(id); }), "segment"));
    CHECK(contains(refused(r, [&] { (void)client.campaigns().remove(id); }), "segment"));
    CHECK(contains(refused(r, [&] { (void)client.campaigns().activate(id); }), "segment"));
  }
}

TEST_CASE("an empty id is refused instead of calling the collection (DELETE /campaigns/)") {
  Recorder r;
  const Client client = r.client();
  CHECK(contains(refused(r, [&] { (void)client.campaigns().remove(""); }), "empty"));
  CHECK(contains(refused(r, [&] { (void)client.campaigns().activate(""); }), "empty"));
  CHECK(contains(refused(r, [&] { client.request("GET", "/api/v2//campaigns"); }), "empty"));
}

TEST_CASE("ids with line breaks, NULs and non-UTF-8 bytes reach the wire encoded, byte for byte") {
  Recorder r;
  const Client client = r.client();
  (void)client.campaigns().get(std::string("a\r\nb\0c\xff", 7));
  CHECK(r.last_url() == "http://127.0.0.1:9/api/v2/campaigns/a%0D%0Ab%00c%FF");
  client.request("GET", "/api/v2/campaigns", {.query = {{"search", "x&limit=1000"}, {"a\r\nb", "\xc3\x28"}}});
  CHECK(r.last_url() == "http://127.0.0.1:9/api/v2/campaigns?search=x%26limit%3D1000&a%0D%0Ab=%C3%28");
}

TEST_CASE("a 1 MiB id or query value is sent whole, not truncated") {
  Recorder r;
  const Client client = r.client();
  const std::string huge(1 << 20, 'z');
  client.request("GET", "/api/v2/campaigns", {.query = {{"search", huge}}});
  CHECK(r.last_url().size() == std::string("http://127.0.0.1:9/api/v2/campaigns?search=").size() + huge.size());
}

TEST_CASE("documented: a body string with invalid UTF-8 is sent byte for byte, the caller's to keep valid") {
  // src/json/json_write.cpp: Json::parse only makes valid UTF-8; text a caller puts in a Json
  // is written as it is (the server, not the client, refuses it). Nothing is dropped or altered.
  Recorder r;
  const Client client = r.client();
  instantly::Json body = instantly::Json::object({{"name", std::string("caf\xe9\0x", 6)}});
  client.request("POST", "/api/v2/campaigns", {.body = body});
  CHECK(r.transport->requests().back().body == std::string("{\"name\":\"caf\xe9\\u0000x\"}"));
}

TEST_CASE("documented: a body double that is not finite is sent as null") {
  Recorder r;
  const Client client = r.client();
  instantly::Json body = instantly::Json::object({{"a", std::numeric_limits<double>::infinity()},
                                                  {"b", std::numeric_limits<double>::quiet_NaN()},
                                                  {"c", std::numeric_limits<double>::max()}});
  client.request("POST", "/api/v2/campaigns", {.body = body});
  const std::string sent = r.transport->requests().back().body.value_or("");
  CHECK(contains(sent, R"("a":null)"));
  CHECK(contains(sent, R"("b":null)"));
  CHECK(instantly::Json::parse(sent).at("c").as_double() == std::numeric_limits<double>::max());
}

}  // namespace hostile_request_inputs
