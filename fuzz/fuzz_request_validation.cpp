// The generated request validators (src/validation, src/generated/validation):
// the mock server runs them on whatever clients send, the SDK on callers' data.
//
// Input: first byte picks the operation (index into all_operations(), sorted by
// id); then one line of query string (`k=v&k2=v2`, not percent-decoded: the
// validators get decoded values, any bytes); the rest is the JSON body (none
// when empty; text that is not JSON is skipped, Json::parse has its own target).
//
// Invariants: at most kMaxIssues issues; every message names its path; the
// issues of a valid request are none, and throw_validation_error throws
// ValidationError.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "instantly/json.hpp"
#include "validation/operations.hpp"

namespace {

using instantly::fuzz::require;
namespace validation = instantly::detail::validation;

validation::QueryParams split_query(std::string_view text) {
  validation::QueryParams query;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    const auto eq = pair.find('=');
    query.emplace_back(std::string(pair.substr(0, eq)),
                       eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1)));
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
  }
  return query;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto operations = validation::all_operations();
  const validation::OperationSchema& operation = operations[data[0] % operations.size()];
  instantly::fuzz::LineReader reader{instantly::fuzz::as_text(data + 1, size - 1)};
  const validation::QueryParams query = split_query(reader.next_line());

  std::optional<instantly::Json> body;
  if (!reader.rest.empty()) {
    try {
      body = instantly::Json::parse(reader.rest);
    } catch (const instantly::DecodeError&) {
      return 0;
    }
  }

  instantly::fuzz::expect_only_library_errors([&] {
    const auto issues = validation::validate_request(operation, query, body);
    require(issues.size() <= validation::kMaxIssues, "more issues than kMaxIssues");
    for (const auto& issue : issues) {
      require(!issue.path.empty(), "an issue without a path");
      require(issue.message.find(issue.path) != std::string::npos, "an issue message that does not name its path");
    }
    if (issues.empty()) return;
    (void)validation::describe_issues(issues);
    try {
      validation::throw_validation_error(operation.operation_id, issues);
    } catch (const instantly::ValidationError&) {
      return;
    }
  });
  return 0;
}
