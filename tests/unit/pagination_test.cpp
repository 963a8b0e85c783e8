// Paging through list endpoints: stops on an empty page or a missing cursor,
// refuses to loop on a repeated cursor, and sends the cursor where the endpoint
// wants it (query for GET lists, JSON body for POST /api/v2/leads/list).
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "instantly/client.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"

using instantly::HttpRequest;
using instantly::HttpResponse;
using instantly::Json;
using instantly::testing::FakeClock;
using instantly::testing::FakeTransport;
using instantly::testing::json_response;

namespace {

// Serves pages keyed by the cursor the client sent ("" = first page).
struct PagedServer {
  std::map<std::string, std::string> pages;
  bool cursor_in_body = false;

  std::string cursor_of(const HttpRequest& request) const {
    if (cursor_in_body) {
      if (!request.body) return "";
      Json body = Json::parse(*request.body);
      const Json* cursor = body.find("starting_after");
      return cursor ? cursor->as_string() : "";
    }
    const auto at = request.url.find("starting_after=");
    if (at == std::string::npos) return "";
    return request.url.substr(at + 15, request.url.find('&', at) - at - 15);
  }

  HttpResponse operator()(const HttpRequest& request) const {
    auto page = pages.find(cursor_of(request));
    if (page == pages.end()) return json_response(400, R"({"message":"unknown cursor"})");
    return json_response(200, page->second);
  }
};

std::pair<instantly::Client, std::shared_ptr<FakeTransport>> client_for(PagedServer server) {
  auto transport = std::make_shared<FakeTransport>(FakeTransport::Handler(std::move(server)));
  instantly::Client client({.api_key = "k",
                            .base_url = "http://127.0.0.1:1",
                            .rate_limit = {.enabled = false},
                            .transport = transport,
                            .clock = std::make_shared<FakeClock>()});
  return {client, transport};
}

std::vector<std::string> ids(const instantly::Paginator<Json>& paginator) {
  std::vector<std::string> out;
  for (const Json& item : paginator) out.push_back(item.at("id").as_string());
  return out;
}

}  // namespace

TEST_CASE("iterates every item and stops at the empty page after a trailing cursor") {
  auto [client, transport] = client_for({.pages = {
      {"", R"({"items":[{"id":"a"},{"id":"b"}],"next_starting_after":"b"})"},
      {"b", R"({"items":[{"id":"c"}],"next_starting_after":"c"})"},
      {"c", R"({"items":[],"next_starting_after":"c2"})"},
  }});
  auto campaigns = client.paginate("GET", "/api/v2/campaigns", {.query = {{"limit", "2"}}});
  CHECK(transport->request_count() == 0);  // lazy: nothing fetched before iterating
  CHECK(ids(campaigns) == std::vector<std::string>{"a", "b", "c"});
  CHECK(transport->request_count() == 3);
  const auto requests = transport->requests();
  CHECK(requests[0].url == "http://127.0.0.1:1/api/v2/campaigns?limit=2");
  CHECK(requests[1].url == "http://127.0.0.1:1/api/v2/campaigns?limit=2&starting_after=b");
  CHECK(requests[2].url == "http://127.0.0.1:1/api/v2/campaigns?limit=2&starting_after=c");
}

TEST_CASE("stops when a page has no cursor, without asking again") {
  for (const char* last : {R"({"items":[{"id":"b"}]})", R"({"items":[{"id":"b"}],"next_starting_after":null})",
                           R"({"items":[{"id":"b"}],"next_starting_after":""})"}) {
    CAPTURE(last);
    auto [client, transport] = client_for({.pages = {
        {"", R"({"items":[{"id":"a"}],"next_starting_after":"a"})"},
        {"a", last},
    }});
    CHECK(ids(client.paginate("GET", "/api/v2/accounts")) == std::vector<std::string>{"a", "b"});
    CHECK(transport->request_count() == 2);
  }
}

TEST_CASE("an empty first page yields nothing") {
  auto [client, transport] = client_for({.pages = {{"", R"({"items":[]})"}}});
  CHECK(ids(client.paginate("GET", "/api/v2/campaigns")).empty());
  CHECK(transport->request_count() == 1);
}

TEST_CASE("a repeated cursor raises PaginationError instead of looping") {
  SUBCASE("the same cursor twice in a row") {
    auto [client, transport] = client_for({.pages = {
        {"", R"({"items":[{"id":"a"}],"next_starting_after":"x"})"},
        {"x", R"({"items":[{"id":"b"}],"next_starting_after":"x"})"},
    }});
    std::vector<std::string> seen;
    auto list = client.paginate("GET", "/api/v2/campaigns");
    CHECK_THROWS_AS(
        [&] { for (const Json& item : list) seen.push_back(item.at("id").as_string()); }(),
        instantly::PaginationError);
    CHECK(seen == std::vector<std::string>{"a"});
    CHECK(transport->request_count() == 2);
  }
  SUBCASE("a longer cycle") {
    auto [client, transport] = client_for({.pages = {
        {"", R"({"items":[{"id":"a"}],"next_starting_after":"p1"})"},
        {"p1", R"({"items":[{"id":"b"}],"next_starting_after":"p2"})"},
        {"p2", R"({"items":[{"id":"c"}],"next_starting_after":"p1"})"},
    }});
    CHECK_THROWS_AS(ids(client.paginate("GET", "/api/v2/campaigns")), instantly::PaginationError);
    CHECK(transport->request_count() == 3);
  }
}

TEST_CASE("POST /api/v2/leads/list pages through the JSON body") {
  auto [client, transport] = client_for({.pages = {
      {"", R"({"items":[{"id":"l1"},{"id":"l2"}],"next_starting_after":"l2"})"},
      {"l2", R"({"items":[{"id":"l3"}],"next_starting_after":"l3"})"},
      {"l3", R"({"items":[]})"},
  }, .cursor_in_body = true});
  auto leads = client.paginate("POST", "/api/v2/leads/list",
                               {.body = Json::object({{"campaign", "c1"}, {"limit", 2}})},
                               instantly::CursorIn::Body);
  CHECK(ids(leads) == std::vector<std::string>{"l1", "l2", "l3"});
  const auto requests = transport->requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[0].url == "http://127.0.0.1:1/api/v2/leads/list");  // no cursor in the query
  CHECK(Json::parse(*requests[0].body) == Json::object({{"campaign", "c1"}, {"limit", 2}}));
  CHECK(Json::parse(*requests[1].body) ==
        Json::object({{"campaign", "c1"}, {"limit", 2}, {"starting_after", "l2"}}));
  CHECK(requests[1].url.find("starting_after") == std::string::npos);
}

TEST_CASE("pages() and first_page() give manual control") {
  auto [client, transport] = client_for({.pages = {
      {"", R"({"items":[{"id":"a"},{"id":"b"}],"next_starting_after":"b"})"},
      {"b", R"({"items":[{"id":"c"}]})"},
  }});
  auto list = client.paginate("GET", "/api/v2/campaigns");
  auto first = list.first_page();
  CHECK(first.items.size() == 2);
  CHECK(first.next_starting_after == "b");
  CHECK(first.has_next_page());

  std::vector<std::size_t> sizes;
  for (const auto& page : list.pages()) sizes.push_back(page.items.size());
  CHECK(sizes == std::vector<std::size_t>{2, 1});
}

TEST_CASE("a list endpoint that answers with an error throws from the iteration") {
  auto [client, transport] = client_for({.pages = {
      {"", R"({"items":[{"id":"a"}],"next_starting_after":"gone"})"},
  }});
  CHECK_THROWS_AS(ids(client.paginate("GET", "/api/v2/campaigns")), instantly::BadRequestError);
}

TEST_CASE("a body that is not a page is a DecodeError") {
  auto [client, transport] = client_for({.pages = {{"", R"({"items":{"id":"a"}})"}}});
  CHECK_THROWS_AS(ids(client.paginate("GET", "/api/v2/campaigns")), instantly::DecodeError);
}
