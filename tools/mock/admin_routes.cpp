#include "admin_routes.hpp"

#include "http_error.hpp"

namespace instantly::mock {

namespace {

double number_or(const Json& body, std::string_view key, double fallback) {
  const Json* value = body.find(key);
  if (!value) return fallback;
  if (!value->is_number()) bad_request(std::string(key) + " must be a number");
  return value->as_double();
}

Json faults_json(const FaultRates& r) {
  return Json::object({{"429", r.rate_limited}, {"500", r.server_error}, {"502", r.bad_gateway},
                       {"503", r.unavailable}, {"drop", r.drop_connection}, {"truncate", r.truncate_body}});
}

}  // namespace

void register_core_admin_routes(AdminRouter& admin, MockServices s) {
  admin.on("POST", "/reset", [s](const Call&, State& state) {
    s.webhooks.set_paused(false);  // a paused dispatcher is part of a test's state
    s.webhooks.wait_idle(std::chrono::milliseconds(0));
    {
      auto lock = state.lock();
      state.reset();
    }
    s.limits.clear();
    s.stats.clear();
    s.scripted.clear();
    return Reply::json(Json::object({{"reset", true}}));
  });

  admin.on("GET", "/faults", [s](const Call&, State&) { return Reply::json(faults_json(s.faults.rates())); });
  // Body: {"429": 0.1, "500": 0, "502": 0, "503": 0, "drop": 0, "truncate": 0, "seed": 7};
  // omitted kinds become 0, so {} turns faults off.
  admin.on("POST", "/faults", [s](const Call& call, State&) {
    const Json& body = call.body_or_empty();
    std::string spec;
    for (const char* kind : {"429", "500", "502", "503", "5xx", "drop", "truncate"}) {
      if (body.contains(kind)) spec += std::string(spec.empty() ? "" : ",") + kind + "=" + std::to_string(number_or(body, kind, 0));
    }
    FaultRates rates;
    try {
      rates = parse_fault_rates(spec);
    } catch (const std::invalid_argument& e) {
      bad_request(e.what());
    }
    auto seed = static_cast<std::uint64_t>(number_or(body, "seed", 1));
    s.faults.set(rates, seed);
    return Reply::json(faults_json(rates));
  });

  // Body: {"seconds": 3600} or {"ms": 1500}; moves the simulated clock forward.
  admin.on("POST", "/clock/advance", [](const Call& call, State& state) {
    const Json& body = call.body_or_empty();
    double ms = number_or(body, "ms", 0) + number_or(body, "seconds", 0) * 1000 + number_or(body, "days", 0) * 86400000;
    if (ms < 0) bad_request("the clock only moves forward");
    auto lock = state.lock();
    state.advance(static_cast<std::int64_t>(ms));
    return Reply::json(Json::object({{"now", state.now_iso()}}));
  });
  admin.on("GET", "/clock", [](const Call&, State& state) {
    auto lock = state.lock();
    return Reply::json(Json::object({{"now", state.now_iso()}}));
  });

  // Body: {"status": 402, "body": {...} | "text": "...", "headers": {"Retry-After": "3"},
  //        "path": "/api/v2/campaigns", "times": 1}
  // Queues an answer for the next matching API request(s), after the auth check.
  admin.on("POST", "/responses", [s](const Call& call, State&) {
    const Json& body = call.body_or_empty();
    ScriptedResponse answer;
    answer.status = static_cast<int>(number_or(body, "status", 200));
    if (answer.status < 100 || answer.status > 599) bad_request("status must be an HTTP status code");
    answer.times = static_cast<int>(number_or(body, "times", 1));
    if (answer.times < 1) bad_request("times must be at least 1");
    if (const Json* json = body.find("body")) {
      answer.body = json->dump();
    } else if (const Json* text = body.find("text"); text && text->is_string()) {
      answer.body = text->as_string();
      answer.content_type = "text/plain; charset=utf-8";
    } else {
      answer.body = error_envelope(answer.status, "scripted answer").dump();
    }
    if (const Json* headers = body.find("headers"); headers && headers->is_object()) {
      for (const auto& [name, value] : headers->as_object()) {
        if (!value.is_string()) bad_request("header values must be strings");
        answer.headers.emplace_back(name, value.as_string());
      }
    }
    if (const Json* path = body.find("path"); path && path->is_string()) answer.path_prefix = path->as_string();
    s.scripted.push(std::move(answer));
    return Reply::json(Json::object({{"queued", true}}));
  });

  admin.on("GET", "/stats", [s](const Call&, State&) { return Reply::json(s.stats.to_json()); });
  admin.on("POST", "/stats/reset", [s](const Call&, State&) {
    s.stats.clear();
    return Reply::json(s.stats.to_json());
  });

  // Body: {"enabled": false}
  admin.on("POST", "/rate-limits", [s](const Call& call, State&) {
    const Json* enabled = call.field("enabled");
    if (!enabled || !enabled->is_bool()) bad_request("enabled must be true or false");
    s.limits.set_enabled(enabled->as_bool());
    s.limits.clear();
    return Reply::json(Json::object({{"enabled", enabled->as_bool()}}));
  });

  admin.on("GET", "/state", [](const Call&, State& state) {
    auto lock = state.lock();
    return Reply::json(state.to_json());
  });
}

}  // namespace instantly::mock
