#include "receiver_server.hpp"

#include <instantly/error.hpp>
#include <instantly/json.hpp>
#include <instantly/prometheus.hpp>  // kContentType only: a constant, nothing to link

#include <chrono>
#include <iostream>
#include <stdexcept>
#include <utility>

namespace webhook_receiver {

namespace webhooks = instantly::webhooks;
using instantly::Json;

namespace {

constexpr std::size_t kMaxBody = 1 << 20;  // parse_event's default limit; larger bodies get 413

// Not ready from here on, so that a load balancer sends deliveries elsewhere before the spool
// is full and this receiver has to answer 503.
constexpr double kSpoolNearlyFull = 0.8;
// Stored events the engagement worker has not folded yet: past this it is not keeping up.
constexpr std::int64_t kMaxUnappliedEvents = 10'000;

void answer(httplib::Response& response, int status, const Json& body) {
  response.status = status;
  response.set_content(body.dump(), "application/json");
}

Json error_body(const std::string& error, const std::string& detail = {}) {
  Json body = Json::object({{"error", error}});
  if (!detail.empty()) body.set("detail", detail);
  return body;
}

Json count(std::uint64_t n) { return Json(static_cast<std::int64_t>(n)); }

}  // namespace

ReceiverServer::ReceiverServer(const Options& options, const webhooks::SecretHeaderVerifier& verifier,
                               webhooks::Spool& spool, const Forwarder& forwarder, EngagementWorker& worker,
                               ReceiverStore& store, const Monitoring& monitoring)
    : options_(options), verifier_(verifier), spool_(spool), forwarder_(forwarder), worker_(worker), store_(store),
      monitoring_(monitoring), random_(options.seed) {}

ReceiverServer::~ReceiverServer() { stop(); }

int ReceiverServer::start() {
  const auto threads = static_cast<std::size_t>(options_.threads);
  server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_.set_tcp_nodelay(true);
  server_.set_payload_max_length(kMaxBody);
  // An idle keep-alive connection holds a thread until this runs out, and so
  // does shutdown: keep it short.
  server_.set_keep_alive_timeout(1);
  // cpp-httplib closes a connection after 5 requests by default; a busy
  // sender would then spend its time reconnecting.
  server_.set_keep_alive_max_count(1000);
  // A body over the limit is refused by cpp-httplib before any handler runs; count it here.
  server_.set_error_handler([this](const httplib::Request& request, httplib::Response& response) {
    if (response.status == 413 && request.path == "/webhook/instantly") {
      ++counters_.too_large;
      monitoring_.delivery("delivery_received");
      monitoring_.delivery("delivery_refused", "too_large");
    }
  });
  server_.Post("/webhook/instantly",
               [this](const httplib::Request& request, httplib::Response& response) { receive(request, response); });
  server_.Get("/healthz", [this](const httplib::Request&, httplib::Response& response) { health(response); });
  server_.Get("/readyz", [this](const httplib::Request&, httplib::Response& response) { readiness(response); });
  server_.Get("/metrics", [this](const httplib::Request&, httplib::Response& response) { metrics(response); });

  port_ = options_.port == 0 ? server_.bind_to_any_port(options_.host)
                             : (server_.bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port_ <= 0) throw std::runtime_error("cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  listener_ = std::thread([this] { server_.listen_after_bind(); });
  while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return port_;
}

void ReceiverServer::stop() {
  // listen_after_bind() returns once the thread pool has answered every
  // connection it took: in-flight requests finish, new ones are refused.
  server_.stop();
  if (listener_.joinable()) listener_.join();
}

std::string ReceiverServer::url() const {
  std::string host = options_.host == "0.0.0.0" ? "127.0.0.1" : options_.host;
  return "http://" + host + ":" + std::to_string(port_);
}

void ReceiverServer::receive(const httplib::Request& request, httplib::Response& response) {
  const auto arrived = std::chrono::steady_clock::now();
  monitoring_.delivery("delivery_received");
  auto since_arrival = [&] { return std::chrono::steady_clock::now() - arrived; };
  auto refuse = [&](int status, std::string_view reason, const Json& body) {
    answer(response, status, body);
    monitoring_.delivery("delivery_refused", reason, since_arrival());
  };

  instantly::HttpHeaders headers;
  for (const auto& [name, value] : request.headers) headers.add(name, value);
  try {
    verifier_.verify(headers);
  } catch (const instantly::WebhookVerificationError& e) {
    ++counters_.unauthorized;
    return refuse(401, "unauthorized", error_body("unauthorized", instantly::to_string(e.reason())));
  }
  monitoring_.delivery("delivery_verified");

  // One draw decides the testing fault: fail before spooling, or spool and lose the ack.
  bool fail_before = false, lose_ack = false;
  if (options_.fail_rate > 0 || options_.lose_ack_rate > 0) {
    std::lock_guard lock(random_mutex_);
    double roll = std::uniform_real_distribution<double>(0, 1)(random_);
    fail_before = roll < options_.fail_rate;
    lose_ack = !fail_before && roll < options_.fail_rate + options_.lose_ack_rate;
  }
  if (fail_before) {
    ++counters_.injected_failures;
    return answer(response, 500, error_body("injected failure (--fail-rate)"));
  }

  try {
    spool_.append(request.body, request.get_header_value("Content-Type"));  // returns once it is on disk
  } catch (const webhooks::SpoolFullError& e) {
    ++counters_.spool_full;
    return refuse(503, "spool_full", error_body("spool full", e.what()));
  } catch (const webhooks::SpoolError& e) {
    ++counters_.not_spooled;
    return refuse(503, "not_stored", error_body("not spooled", e.what()));
  }
  ++counters_.accepted;
  watch_spool_fill();
  if (lose_ack) {
    ++counters_.lost_acks;
    return answer(response, 500, error_body("injected failure after spooling (--lose-ack-rate)"));
  }

  // Parsed here only to tell the sender what it was; the forwarder stores it.
  Json body = Json::object({{"accepted", true}});
  try {
    const webhooks::Event event = webhooks::parse_event(request.body, {.max_body_bytes = kMaxBody});
    body.set("parsed", true);
    body.set("dedupe_key", event.dedupe_key());
  } catch (const instantly::DecodeError&) {
    body.set("parsed", false);
    body.set("dedupe_key", Json());
  }
  answer(response, 200, body);
  monitoring_.delivery("delivery_accepted", {}, since_arrival());
}

void ReceiverServer::watch_spool_fill() {
  const webhooks::SpoolUsage usage = spool_.usage();
  const bool nearly_full = usage.fill() >= kSpoolNearlyFull;
  if (nearly_full && !spool_nearly_full_.exchange(true)) {
    std::cerr << "webhook_receiver: the spool " << spool_.directory().string() << " is over 80% full ("
              << usage.bytes << " of " << usage.max_bytes << " bytes): /readyz says not ready; at the bound "
              << "deliveries get 503 (is the store down?)" << std::endl;
    monitoring_.delivery("spool_nearly_full");
  } else if (!nearly_full) {
    spool_nearly_full_.store(false);
  }
}

void ReceiverServer::health(httplib::Response& response) {
  const webhooks::SpoolUsage usage = spool_.usage();
  const Forwarder::Counts forwarded = forwarder_.counts();
  Json requests = Json::object({{"accepted", count(counters_.accepted)},
                                {"stored", count(forwarded.stored)},
                                {"duplicates", count(forwarded.duplicates)},
                                {"unparsed", count(forwarded.unparsed)},
                                {"unauthorized", count(counters_.unauthorized)},
                                {"too_large", count(counters_.too_large)},
                                {"spool_full", count(counters_.spool_full)},
                                {"not_spooled", count(counters_.not_spooled)},
                                {"injected_failures", count(counters_.injected_failures)},
                                {"lost_acks", count(counters_.lost_acks)}});
  Json body = Json::object({{"status", "ok"},
                            {"spooled", count(usage.pending)},
                            {"spool_bytes", count(usage.bytes)},
                            {"store_reachable", forwarder_.store_reachable()},
                            {"applied_since_start", count(worker_.applied())},
                            {"requests", std::move(requests)}});
  // Alive whatever the store says: the spool takes deliveries while it is down.
  try {
    const StoreCounts counts = store_.counts();
    body.set("events", counts.events);
    body.set("unapplied", counts.unapplied);
    body.set("leads", counts.leads);
    body.set("unparsed", counts.unparsed);
  } catch (const std::exception& e) {
    for (const char* key : {"events", "unapplied", "leads", "unparsed"}) body.set(key, Json());
    body.set("store_error", e.what());
  }
  answer(response, 200, body);
}

ReceiverState ReceiverServer::state(std::vector<std::string>& reasons) {
  const webhooks::SpoolUsage usage = spool_.usage();
  ReceiverState state{.waiting = static_cast<std::int64_t>(usage.pending),
                      .spool_bytes = static_cast<std::int64_t>(usage.bytes)};
  if (usage.fill() >= kSpoolNearlyFull) {
    reasons.push_back("spool " + std::to_string(static_cast<int>(usage.fill() * 100)) + "% full (" +
                      std::to_string(usage.bytes) + " of " + std::to_string(usage.max_bytes) + " bytes)");
  }
  // The store is reported, not required: while it is down the spool takes the deliveries.
  try {
    store_.check_writable();
    state.store_writable = true;
    state.unapplied = store_.counts().unapplied;
  } catch (const std::exception&) {
    state.store_writable = false;
  }
  if (state.unapplied && *state.unapplied > kMaxUnappliedEvents) {
    reasons.push_back(std::to_string(*state.unapplied) + " stored events wait for the engagement worker (more than " +
                      std::to_string(kMaxUnappliedEvents) + ")");
  }
  state.ready = reasons.empty();
  monitoring_.publish(state);
  return state;
}

void ReceiverServer::readiness(httplib::Response& response) {
  std::vector<std::string> reasons;
  const ReceiverState now = state(reasons);
  const webhooks::SpoolUsage usage = spool_.usage();
  Json body = Json::object({{"ready", now.ready},
                            {"queue_depth", now.waiting},
                            {"unapplied", now.unapplied ? Json(*now.unapplied) : Json()},
                            {"spool_bytes", count(usage.bytes)},
                            {"spool_max_bytes", count(usage.max_bytes)},
                            {"store_writable", now.store_writable}});
  if (!now.ready) {
    Json list = Json::array();
    for (const std::string& reason : reasons) list.push_back(reason);
    body.set("reasons", std::move(list));
  }
  answer(response, now.ready ? 200 : 503, body);
}

void ReceiverServer::metrics(httplib::Response& response) {
  std::vector<std::string> reasons;
  state(reasons);  // the gauges as of this scrape
  std::optional<std::string> text = monitoring_.metrics_text();
  if (!text) {
    return answer(response, 501, error_body("no metrics", "built without the prometheus component "
                                                           "(apt install prometheus-cpp-dev, then rebuild)"));
  }
  response.status = 200;
  response.set_content(std::move(*text), std::string(instantly::prometheus::kContentType));
}

}  // namespace webhook_receiver
