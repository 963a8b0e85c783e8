#include "core/resource_call.hpp"

#include <array>
#include <charconv>

#include "instantly/error.hpp"
#include "validation/operations.hpp"

namespace instantly::detail {
namespace {

bool is_empty_object(std::string_view json) {
  const auto first = json.find_first_not_of(" \t\r\n");
  const auto last = json.find_last_not_of(" \t\r\n");
  return first != std::string_view::npos && json.substr(first, last - first + 1) == "{}";
}

}  // namespace

void add_query(QueryParams& query, std::string_view key, std::string value) {
  query.emplace_back(std::string(key), std::move(value));
}

void add_query(QueryParams& query, std::string_view key, std::int64_t value) {
  add_query(query, key, std::to_string(value));
}

void add_query(QueryParams& query, std::string_view key, double value) {
  // Shortest text that reads back as the same double: 1.5, 2, 0.1 (not 2.000000).
  std::array<char, 32> text{};  // the longest such form is 24 characters
  char* const end = std::to_chars(text.data(), text.data() + text.size(), value).ptr;
  add_query(query, key, std::string(text.data(), end));
}

void add_query(QueryParams& query, std::string_view key, bool value) {
  add_query(query, key, std::string(value ? "true" : "false"));
}

std::optional<std::string> merge_body(std::optional<std::string> encoded,
                                      const std::optional<Json>& extra) {
  if (encoded && is_empty_object(*encoded)) encoded.reset();
  const bool has_extra = extra && !extra->is_null() && !(extra->is_object() && extra->empty());
  if (!has_extra) return encoded;
  if (!encoded) return serialize_body(extra);
  if (!extra->is_object()) {
    throw ValidationError("RequestOptions::body must be a JSON object to be merged into the "
                          "body this operation builds from its parameters");
  }
  // Rare (a typed body plus per-call extras), so re-parsing here costs nothing in the common case.
  Json merged = Json::parse(*encoded);
  for (const auto& [name, value] : extra->as_object()) merged.set(name, value);
  return merged.dump();
}

void validate_request_if_enabled(const ClientCore& core, std::string_view operation_id,
                                 const QueryParams& query, const std::optional<std::string>& body) {
  if (!core.validates_requests()) return;
  const validation::OperationSchema* operation = validation::find_operation(operation_id);
  if (operation == nullptr) return;  // newer than the validators: the server decides
  std::optional<Json> parsed;
  if (body) parsed = Json::parse(*body);
  const std::vector<validation::Issue> issues = validation::validate_request(*operation, query, parsed);
  if (!issues.empty()) validation::throw_validation_error(operation_id, issues);
}

HttpResponse send(const ClientCore& core, Call call, RequestOptions options) {
  for (auto& param : options.query) call.query.push_back(std::move(param));
  options.query = std::move(call.query);
  std::optional<std::string> body = merge_body(std::move(call.body), options.body);
  options.body.reset();
  if (!options.idempotent) options.idempotent = call.idempotent;
  if (call.accept != "application/json" && !options.headers.contains("Accept")) {
    options.headers.set("Accept", std::string(call.accept));
  }
  const CallIdentity identity{.operation_id = call.operation_id, .path_template = {}};
  try {
    validate_request_if_enabled(core, call.operation_id, options.query, body);
  } catch (const ValidationError& error) {
    core.report_unsent(call.method, call.path, identity, error);
    throw;
  }
  return core.execute(call.method, call.path, options, std::move(body), identity);
}

void throw_missing_created_id(std::string_view operation_id) {
  throw DecodeError(std::string(operation_id) + ": the answer has no id for the object it created", "$.id");
}

Json parse_json_body(const HttpResponse& response) {
  if (response.body.find_first_not_of(" \t\r\n") == std::string::npos) return Json();
  return Json::parse(response.body);
}

}  // namespace instantly::detail
