#include "receiver_server.hpp"

#include <instantly/error.hpp>
#include <instantly/json.hpp>

#include <chrono>
#include <stdexcept>
#include <utility>

namespace webhook_receiver {

namespace webhooks = instantly::webhooks;
using instantly::Json;

namespace {

constexpr std::size_t kMaxBody = 1 << 20;  // parse_event's default limit; larger bodies get 413

// Backed up: past either bound /readyz answers 503 so that a load balancer sends
// deliveries to a receiver that keeps up. Both are minutes of Instantly's
// heaviest webhook traffic; a healthy receiver stays near zero.
constexpr std::int64_t kMaxWaitingDeliveries = 10'000;
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

}  // namespace

ReceiverServer::ReceiverServer(const Options& options, const webhooks::SecretHeaderVerifier& verifier,
                               GroupCommitter& committer, EngagementWorker& worker, ReceiverStore& store,
                               const Monitoring& monitoring)
    : options_(options), verifier_(verifier), committer_(committer), worker_(worker), store_(store),
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
  auto refuse = [&](int status, std::string_view reason, const Json& body) {
    answer(response, status, body);
    monitoring_.delivery("delivery_refused", reason, std::chrono::steady_clock::now() - arrived);
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

  webhooks::Event event;
  try {
    event = webhooks::parse_event(request.body, {.max_body_bytes = kMaxBody});
  } catch (const instantly::DecodeError& e) {
    ++counters_.malformed;
    return refuse(400, "malformed", error_body("malformed event", e.what()));
  }

  // One draw decides the testing fault: fail before storing, or store and lose the ack.
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

  NewEvent row{event.dedupe_key(), event.event_type.value(), event.campaign_id, event.lead_email, event.timestamp,
               request.body};
  bool inserted = false;
  try {
    inserted = committer_.store(row);  // returns after COMMIT
  } catch (const std::exception& e) {
    ++counters_.failed;
    return refuse(503, "not_stored", error_body("not stored", e.what()));
  }
  ++(inserted ? counters_.stored : counters_.duplicates);
  if (lose_ack) {
    ++counters_.lost_acks;
    return answer(response, 500, error_body("injected failure after storing (--lose-ack-rate)"));
  }
  answer(response, 200, Json::object({{"stored", true}, {"duplicate", !inserted}, {"dedupe_key", row.dedupe_key}}));
  monitoring_.delivery(inserted ? "delivery_stored" : "delivery_duplicate", {},
                       std::chrono::steady_clock::now() - arrived);
}

ReceiverState ReceiverServer::state(std::vector<std::string>& reasons) {
  ReceiverState state{.waiting = static_cast<std::int64_t>(committer_.stats().waiting)};
  try {
    store_.check_writable();
    state.unapplied = store_.counts().unapplied;
  } catch (const std::exception& e) {
    reasons.push_back(std::string("store not writable: ") + e.what());
  }
  if (state.waiting > kMaxWaitingDeliveries) {
    reasons.push_back(std::to_string(state.waiting) + " deliveries wait for the store (more than " +
                      std::to_string(kMaxWaitingDeliveries) + ")");
  }
  if (state.unapplied > kMaxUnappliedEvents) {
    reasons.push_back(std::to_string(state.unapplied) + " stored events wait for the engagement worker (more than " +
                      std::to_string(kMaxUnappliedEvents) + ")");
  }
  state.ready = reasons.empty();
  monitoring_.publish(state);
  return state;
}

void ReceiverServer::readiness(httplib::Response& response) {
  std::vector<std::string> reasons;
  const ReceiverState now = state(reasons);
  Json body = Json::object({{"ready", now.ready}, {"queue_depth", now.waiting}, {"unapplied", now.unapplied}});
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
  response.set_content(std::move(*text), "text/plain; version=0.0.4; charset=utf-8");
}

void ReceiverServer::health(httplib::Response& response) {
  StoreCounts counts;
  try {
    counts = store_.counts();
  } catch (const std::exception& e) {
    return answer(response, 503, error_body("database unavailable", e.what()));
  }
  GroupCommitter::Stats commits = committer_.stats();
  auto count = [](const std::atomic<std::uint64_t>& n) { return static_cast<std::int64_t>(n.load()); };
  Json requests = Json::object({{"stored", count(counters_.stored)},
                                {"duplicates", count(counters_.duplicates)},
                                {"unauthorized", count(counters_.unauthorized)},
                                {"malformed", count(counters_.malformed)},
                                {"not_stored", count(counters_.failed)},
                                {"injected_failures", count(counters_.injected_failures)},
                                {"lost_acks", count(counters_.lost_acks)}});
  answer(response, 200,
         Json::object({{"status", "ok"},
                       {"events", counts.events},
                       {"unapplied", counts.unapplied},
                       {"leads", counts.leads},
                       {"applied_since_start", static_cast<std::int64_t>(worker_.applied())},
                       {"commits", Json::object({{"batches", static_cast<std::int64_t>(commits.batches)},
                                                 {"events", static_cast<std::int64_t>(commits.events)},
                                                 {"largest_batch", static_cast<std::int64_t>(commits.largest_batch)}})},
                       {"requests", std::move(requests)}}));
}

}  // namespace webhook_receiver
