// Connecting: a wrong URL, a refused password and an absent server are clear
// errors at start that name the server and never the password.
#include <doctest/doctest.h>

#include <string>

#include "instantly/error.hpp"
#include "instantly/postgres.hpp"
#include "postgres/pipeline_database.hpp"

namespace {

using instantly::DatabaseError;
using instantly::ValidationError;
using instantly::postgres::Database;

template <class Error>
std::string refusal(const std::string& url) {
  try {
    Database database({.url = url, .connect_timeout = std::chrono::seconds(5)});
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("expected an error for a URL");
  return {};
}

}  // namespace

TEST_SUITE("postgres connect") {
  TEST_CASE("a refused password is a DatabaseError at start that names the server, not the password") {
    instantly::testing::PipelineDatabase pipeline;
    const std::string url = pipeline.server().url("pipeline_app", "wrong-password-7731", "pipeline");
    const std::string message = refusal<DatabaseError>(url);
    CHECK(message.find("cannot connect to PostgreSQL at postgresql://pipeline_app@127.0.0.1:" +
                       std::to_string(pipeline.server().port()) + "/pipeline") != std::string::npos);
    CHECK(message.find("password authentication failed") != std::string::npos);
    CHECK(message.find("wrong-password-7731") == std::string::npos);

    Database app = pipeline.app();
    CHECK(app.describe().find(instantly::testing::kAppPassword) == std::string::npos);
    CHECK(app.describe() == "postgresql://pipeline_app@127.0.0.1:" + std::to_string(pipeline.server().port()) +
                                "/pipeline");
  }

  TEST_CASE("a server that is not there is a DatabaseError at start") {
    // Port 9 (discard) has no PostgreSQL on it.
    const std::string message = refusal<DatabaseError>("postgresql://app:secret-pw-4411@127.0.0.1:9/pipeline");
    CHECK(message.find("cannot connect to PostgreSQL at postgresql://app@127.0.0.1:9/pipeline") != std::string::npos);
    CHECK(message.find("secret-pw-4411") == std::string::npos);
  }

  TEST_CASE("a URL that does not parse is a ValidationError that does not quote it") {
    for (const char* url : {"postgresql://app:secret-pw-4411@127.0.0.1:9/db?no_such_option=1",
                            "host=127.0.0.1 password=secret-pw-4411 port", ""}) {
      CAPTURE(url);
      const std::string message = refusal<ValidationError>(url);
      CHECK(message.find("PostgreSQL URL") != std::string::npos);
      CHECK(message.find("secret-pw-4411") == std::string::npos);
    }
  }

  TEST_CASE("an organisation id that is not a UUID is refused before anything is sent") {
    instantly::testing::PipelineDatabase pipeline;
    Database app = pipeline.app();
    bool ran = false;
    CHECK_THROWS_AS(app.in_organization("org-a'; DROP TABLE businesses; --", [&](auto&) { ran = true; }),
                    ValidationError);
    CHECK_FALSE(ran);
  }
}
