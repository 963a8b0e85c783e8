#include "webhook_dispatcher.hpp"

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "handlers/webhook_delivery_log.hpp"
#include "handlers/webhook_matching.hpp"

namespace instantly::mock {

// Named rather than anonymous: WebhookDispatcher::Impl, which has external linkage,
// keeps these as members (GCC's -Wsubobject-linkage when this file is compiled as part
// of a unity batch).
namespace dispatch {

/// A payload not yet matched to subscriptions (`only` set: to that one alone).
struct Incoming {
  Json payload;
  std::optional<std::string> only;
};

/// One attempt to make: which subscription, what, and the attempts so far.
struct Delivery {
  std::string webhook_id;
  std::shared_ptr<const Json> payload;  // shared by every subscription it fans out to
  int attempt = 1;
  std::string group_id;
  bool test = false;
  bool replay = false;                 // POST /__mock/webhooks/replay: one attempt, the mock's log only
  std::vector<std::string> event_ids;  // the webhook events of earlier attempts
};

}  // namespace dispatch

namespace {

using Clock = std::chrono::steady_clock;
using dispatch::Delivery;
using dispatch::Incoming;

constexpr const char* kUserAgent = "Instantly-Webhooks/1.0";

/// What the subscription looked like when an attempt was made.
struct Target {
  std::string url;
  httplib::Headers headers;
};

/// "http://host:port/path?q" → ("http://host:port", "/path?q").
std::pair<std::string, std::string> split_url(const std::string& url) {
  auto scheme_end = url.find("://");
  auto authority_start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  auto path_start = url.find_first_of("/?#", authority_start);
  if (path_start == std::string::npos) return {url, "/"};
  std::string path = url.substr(path_start);
  if (auto hash = path.find('#'); hash != std::string::npos) path.erase(hash);
  if (path.empty() || path.front() != '/') path = "/" + path;
  return {url.substr(0, path_start), path};
}

struct AttemptResult {
  std::optional<int> status;
  std::string error;  // empty on success
  double elapsed_ms = 0;
};

}  // namespace

struct WebhookDispatcher::Impl {
  Impl(State& s, std::vector<int> delays, int timeout) : state(s), retry_delays_ms(std::move(delays)), timeout_ms(timeout) {}

  State& state;
  std::mutex mutex;  // guards everything below; never held while taking the state lock
  std::condition_variable wake;
  std::condition_variable idle;
  std::vector<int> retry_delays_ms;
  int timeout_ms;
  std::deque<Incoming> incoming;
  std::multimap<Clock::time_point, Delivery> scheduled;  // equal times keep insertion order
  int busy = 0;
  bool stopping = false;
  bool paused = false;                // nothing is taken from the queues while set
  std::set<std::string> replaying;    // group ids queued for replay, not yet attempted
  httplib::Client* on_the_wire = nullptr;  // so stop() can cut a slow request short
  std::thread worker;

  bool is_idle() const { return incoming.empty() && scheduled.empty() && busy == 0; }

  void run() {
    for (;;) {
      std::optional<Incoming> payload;
      std::optional<Delivery> delivery;
      {
        std::unique_lock lock(mutex);
        for (;;) {
          if (stopping) return;
          if (!paused && !incoming.empty()) {
            payload = std::move(incoming.front());
            incoming.pop_front();
            break;
          }
          if (!paused && !scheduled.empty() && scheduled.begin()->first <= Clock::now()) {
            delivery = std::move(scheduled.begin()->second);
            scheduled.erase(scheduled.begin());
            break;
          }
          if (paused || scheduled.empty()) wake.wait(lock);
          else {
            // A copy: while waiting the lock is released, and stop() may clear the queue
            // (a reference to the element's key would then dangle).
            const Clock::time_point next_due = scheduled.begin()->first;
            wake.wait_until(lock, next_due);
          }
        }
        ++busy;
      }
      std::vector<std::pair<Clock::time_point, Delivery>> next;
      try {
        if (payload) next = fan_out(std::move(*payload));
        else if (auto retry = attempt(std::move(*delivery))) next.push_back(std::move(*retry));
      } catch (const std::exception&) {
        // A broken record must not take the dispatcher down; the delivery is dropped.
      }
      std::lock_guard lock(mutex);
      if (!stopping) {
        for (auto& [when, d] : next) scheduled.emplace(when, std::move(d));
      }
      --busy;
      idle.notify_all();  // wait_idle() and set_paused() wait for it
    }
  }

  /// The first attempts for every subscription that receives the payload; a
  /// matching subscription that is disabled skips it (logged as skipped).
  std::vector<std::pair<Clock::time_point, Delivery>> fan_out(Incoming in) {
    auto payload = std::make_shared<const Json>(std::move(in.payload));
    std::vector<std::pair<Clock::time_point, Delivery>> first;
    auto now = Clock::now();
    auto lock = state.lock();
    auto& webhooks = state.collection(collections::kWebhooks);
    auto add = [&](const std::string& id) {
      first.emplace_back(now, Delivery{id, payload, 1, state.new_id(), in.only.has_value(), {}});
    };
    if (in.only) {
      if (webhooks.find(*in.only)) add(*in.only);
    } else {
      for (const auto& [id, webhook] : webhooks.records()) {
        if (!subscription_matches(webhook, *payload)) continue;
        if (subscription_active(webhook)) add(id);
        else record_skipped_delivery(state, {id, url_of(webhook), payload.get(), 1, state.new_id()});
      }
    }
    return first;
  }

  static std::string url_of(const Json& webhook) {
    const Json* url = webhook.find("target_hook_url");
    return url && url->is_string() ? url->as_string() : std::string();
  }

  /// A replay has been attempted (or has nowhere to go): it may be queued again. State lock held.
  void replay_done(const Delivery& d) {
    if (!d.replay) return;
    std::lock_guard lock(mutex);
    replaying.erase(d.group_id);
  }

  /// Reads the subscription; none when it is gone, or, for an event's delivery
  /// (not a test or a replay), when it is no longer active: then the attempt
  /// is logged as skipped and the delivery ends.
  std::optional<Target> target_of(const Delivery& d) {
    auto lock = state.lock();
    const Json* webhook = state.collection(collections::kWebhooks).find(d.webhook_id);
    if (!webhook) {
      replay_done(d);
      return std::nullopt;
    }
    if (!d.test && !d.replay && !subscription_active(*webhook)) {
      record_skipped_delivery(state, {d.webhook_id, url_of(*webhook), d.payload.get(), d.attempt, d.group_id});
      settle_retry_group(state, d.event_ids, false, /*retry_planned=*/true);
      return std::nullopt;
    }
    Target target;
    target.url = url_of(*webhook);
    target.headers.emplace("Content-Type", "application/json");
    target.headers.emplace("User-Agent", kUserAgent);
    if (const Json* custom = webhook->find("headers"); custom && custom->is_object()) {
      for (const auto& [name, value] : custom->as_object()) {
        if (!value.is_string()) continue;
        // The subscription's own value wins over our defaults (Headers compare case-insensitively).
        target.headers.erase(name);
        target.headers.emplace(name, value.as_string());
      }
    }
    return target;
  }

  AttemptResult post(const Target& target, const std::string& body) {
    AttemptResult result;
    auto [base, path] = split_url(target.url);
    auto started = Clock::now();
    httplib::Client client(base);
    if (!client.is_valid()) {
      result.error = "cannot deliver to " + target.url + " (only http:// URLs are supported by instantly-mock)";
      return result;
    }
    auto timeout = std::chrono::milliseconds(timeout_ms);
    client.set_connection_timeout(timeout);
    client.set_read_timeout(timeout);
    client.set_write_timeout(timeout);
    client.set_tcp_nodelay(true);
    {
      std::lock_guard lock(mutex);
      if (stopping) {
        result.error = "dispatcher stopped";
        return result;
      }
      on_the_wire = &client;
    }
    httplib::Request request;
    request.method = "POST";
    request.path = path;
    request.headers = target.headers;
    request.body = body;
    auto response = client.send(request);
    {
      std::lock_guard lock(mutex);
      on_the_wire = nullptr;
    }
    result.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    if (!response) {
      result.error = httplib::to_string(response.error());
      return result;
    }
    result.status = response->status;
    if (response->status < 200 || response->status > 299) result.error = "HTTP " + std::to_string(response->status);
    return result;
  }

  /// Makes one attempt and records it; returns the retry to schedule, if any.
  std::optional<std::pair<Clock::time_point, Delivery>> attempt(Delivery d) {
    auto target = target_of(d);
    if (!target) return std::nullopt;
    AttemptResult result = post(*target, d.payload->dump());

    std::optional<int> delay;
    {
      std::lock_guard lock(mutex);
      if (stopping) return std::nullopt;
      auto index = static_cast<std::size_t>(d.attempt - 1);
      // A test or a replay is a single attempt: it reports, it never retries or disables.
      if (!result.error.empty() && !d.test && !d.replay && index < retry_delays_ms.size()) delay = retry_delays_ms[index];
    }

    auto lock = state.lock();
    DeliveryAttempt record;
    record.webhook_id = d.webhook_id;
    record.url = target->url;
    record.payload = d.payload.get();
    record.attempt = d.attempt;
    record.group_id = d.group_id;
    record.test = d.test;
    record.replay = d.replay;
    record.headers_sent = Json::object();
    for (const auto& [name, value] : target->headers) record.headers_sent.set(name, value);
    record.status_code = result.status;
    record.error = result.error;
    record.response_time_ms = result.elapsed_ms;
    if (delay) record.next_retry_unix_ms = state.now_ms() + *delay;
    std::string event_id = record_delivery_attempt(state, record);
    if (d.replay) {
      replay_done(d);
      return std::nullopt;
    }
    d.event_ids.push_back(std::move(event_id));

    if (result.error.empty() || d.test) {
      settle_retry_group(state, d.event_ids, result.error.empty());
      return std::nullopt;
    }
    if (!delay) {
      settle_retry_group(state, d.event_ids, false);
      disable(d.webhook_id);
      return std::nullopt;
    }
    auto when = Clock::now() + std::chrono::milliseconds(*delay);
    ++d.attempt;
    return std::make_pair(when, std::move(d));
  }

  /// Out of retries: the subscription stops receiving until resumed. State lock held.
  void disable(const std::string& webhook_id) {
    Json* webhook = state.collection(collections::kWebhooks).find(webhook_id);
    if (!webhook) return;
    webhook->set("status", -1);
    webhook->set("timestamp_error", state.now_iso());
  }
};

WebhookDispatcher::WebhookDispatcher(State& state, std::vector<int> retry_delays_ms, int timeout_ms)
    : impl_(std::make_unique<Impl>(state, std::move(retry_delays_ms), timeout_ms)) {
  impl_->worker = std::thread([impl = impl_.get()] { impl->run(); });
}

WebhookDispatcher::~WebhookDispatcher() { stop(); }

void WebhookDispatcher::enqueue(Json payload) {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping) return;
    impl_->incoming.push_back(Incoming{std::move(payload), std::nullopt});
  }
  impl_->wake.notify_one();
}

void WebhookDispatcher::enqueue_for(std::string webhook_id, Json payload) {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping) return;
    impl_->incoming.push_back(Incoming{std::move(payload), std::move(webhook_id)});
  }
  impl_->wake.notify_one();
}

bool WebhookDispatcher::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  impl_->idle.wait_for(lock, timeout, [this] { return impl_->stopping || impl_->paused || impl_->is_idle(); });
  return impl_->stopping || impl_->is_idle();
}

void WebhookDispatcher::set_paused(bool paused) {
  std::unique_lock lock(impl_->mutex);
  impl_->paused = paused;
  if (!paused) {
    impl_->wake.notify_all();
    return;
  }
  impl_->idle.notify_all();  // a waiting flush returns: nothing moves until released
  // The worker takes nothing more; let an attempt already on the wire end (and be logged).
  impl_->idle.wait(lock, [this] { return impl_->stopping || impl_->busy == 0; });
}

WebhookDispatcher::PauseState WebhookDispatcher::pause_state() const {
  std::lock_guard lock(impl_->mutex);
  return {impl_->paused, impl_->incoming.size() + impl_->scheduled.size()};
}

std::size_t WebhookDispatcher::replay(const std::string& webhook_id) {
  // The state lock throughout: a replay that ends meanwhile (logged, then
  // forgotten by replay_done under the same lock) is either seen as delivered
  // in the log or still in `replaying`, never queued twice.
  auto state_lock = impl_->state.lock();
  auto missed = missed_deliveries(impl_->state, webhook_id);
  std::size_t queued = 0;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping) return 0;
    auto now = Clock::now();  // one time point: equal keys keep the original order
    for (auto& m : missed) {
      if (!impl_->replaying.insert(m.group_id).second) continue;
      Delivery d;
      d.webhook_id = webhook_id;
      d.payload = std::make_shared<const Json>(std::move(m.payload));
      d.group_id = m.group_id;
      d.replay = true;
      impl_->scheduled.emplace(now, std::move(d));
      ++queued;
    }
  }
  impl_->wake.notify_one();
  return queued;
}

void WebhookDispatcher::set_retry_delays(std::vector<int> delays_ms) {
  std::lock_guard lock(impl_->mutex);
  impl_->retry_delays_ms = std::move(delays_ms);
}

void WebhookDispatcher::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    impl_->incoming.clear();
    impl_->scheduled.clear();
    if (impl_->on_the_wire) impl_->on_the_wire->stop();
  }
  impl_->wake.notify_all();
  impl_->idle.notify_all();
  if (impl_->worker.joinable() && impl_->worker.get_id() != std::this_thread::get_id()) impl_->worker.join();
}

}  // namespace instantly::mock
