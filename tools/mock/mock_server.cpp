#include "mock_server.hpp"

#include <httplib.h>

#include <atomic>
#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "admin_routes.hpp"
#include "api_gateway.hpp"
#include "handlers/handlers.hpp"
#include "http_error.hpp"
#include "instantly/error.hpp"
#include "webhook_dispatcher.hpp"
#include "open_sockets.hpp"
#include "wire_faults.hpp"

namespace instantly::mock {

namespace {

constexpr std::string_view kAdminPrefix = "/__mock";

/// cpp-httplib 0.11 reads a POST/PATCH/DELETE that has neither Content-Length
/// nor Transfer-Encoding "until the connection closes". Such a request has no
/// body (RFC 9112 §6.3), which is what a client sends for a bodiless action.
void declare_bodiless_requests_empty(httplib::Server& server) {
  server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding")) {
      // httplib owns the Request as a mutable local; adding a header is safe.
      const_cast<httplib::Request&>(req).set_header("Content-Length", "0");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
}

void write(httplib::Response& res, const WireResponse& wire) {
  res.status = wire.status;
  for (const auto& [name, value] : wire.headers) res.set_header(name, value);
  if (!wire.content_type.empty()) res.set_content(wire.body, wire.content_type);
}

}  // namespace

struct MockServer::Impl {
  explicit Impl(MockOptions opts)
      : options(std::move(opts)),
        state(options.seed),
        faults(options.faults, options.seed),
        limits(options.rate_limit),
        webhooks(state, options.webhook_retry_delays_ms, options.webhook_timeout_ms),
        gateway(options, state, api, faults, limits, stats, scripted) {}

  void handle(const httplib::Request& req, httplib::Response& res) {
    in_flight.fetch_add(1);
    struct Done {
      std::atomic<int>& count;
      ~Done() { count.fetch_sub(1); }
    } done{in_flight};
    if (req.path == kAdminPrefix || req.path.starts_with(std::string(kAdminPrefix) + "/")) {
      handle_admin(req, res);
      return;
    }
    WireResponse wire = gateway.handle(req);
    switch (wire.fault) {
      case Fault::DropConnection:
        drop_connection(req);
        res.status = 500;  // never reaches the client
        return;
      case Fault::TruncateBody:
        if (!wire.body.empty()) {
          res.status = wire.status;
          send_truncated(res, std::move(wire.body), wire.content_type);
          return;
        }
        break;
      default: break;
    }
    write(res, wire);
  }

  void handle_admin(const httplib::Request& req, httplib::Response& res) {
    std::string_view sub = std::string_view(req.path).substr(kAdminPrefix.size());
    WireResponse wire;
    try {
      if (sub.empty() || sub == "/") {
        Json routes = Json::array();
        for (auto& route : admin.routes()) routes.push_back(route);
        wire.body = Json::object({{"routes", std::move(routes)}}).dump();
      } else {
        Call call;
        const AdminHandler* handler = admin.match(req.method, sub, call.path_params);
        if (!handler) throw HttpError(404, "no admin route " + req.method + " " + req.path);
        for (const auto& [key, value] : req.params) call.query.emplace_back(key, value);
        if (!req.body.empty()) {
          try {
            call.body = Json::parse(req.body);
          } catch (const instantly::DecodeError&) {
            throw HttpError(400, "admin body is not valid JSON");
          }
        }
        Reply reply = (*handler)(call, state);
        wire.status = reply.status;
        if (!reply.empty) wire.body = reply.body.dump();
        else wire.content_type.clear();
      }
    } catch (const HttpError& e) {
      wire = error_response(e.status(), e.what());
    } catch (const std::exception& e) {
      wire = error_response(500, e.what());
    }
    write(res, wire);
  }

  void load_state_file() {
    if (!options.state_file) return;
    std::ifstream in(*options.state_file, std::ios::binary);
    if (!in) return;  // first run: nothing saved yet
    std::stringstream text;
    text << in.rdbuf();
    try {
      state.load(Json::parse(text.str()));
    } catch (const std::exception& e) {
      throw std::runtime_error("cannot load state file " + *options.state_file + ": " + e.what());
    }
  }

  void save_state_file() {
    if (!options.state_file) return;
    std::string text;
    {
      auto lock = state.lock();
      text = state.to_json().dump();
    }
    // Write then rename, so a crash mid-save never leaves a half file behind.
    std::string temp = *options.state_file + ".tmp";
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      out << text;
      if (!out) throw std::runtime_error("cannot write state file " + temp);
    }
    if (std::rename(temp.c_str(), options.state_file->c_str()) != 0) {
      throw std::runtime_error("cannot replace state file " + *options.state_file);
    }
  }

  MockOptions options;
  State state;
  FaultInjector faults;
  RateLimits limits;
  RequestStats stats;
  ScriptedResponses scripted;
  WebhookDispatcher webhooks;
  Router api;
  AdminRouter admin;
  ApiGateway gateway;
  httplib::Server server;
  std::thread thread;
  int port = -1;
  std::atomic<int> in_flight{0};  // requests being answered, so stop() can let them finish
  bool started = false;
  bool stopped = false;
  std::mutex lifecycle_mutex;
};

MockServer::MockServer(MockOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

MockServer::~MockServer() {
  try {
    stop();
  } catch (...) {
    // A destructor must not throw; stop() already reported what it could.
  }
}

int MockServer::start() {
  Impl& m = *impl_;
  if (m.started) return m.port;
  // cpp-httplib writes with plain send(): a client that hangs up mid-answer
  // would otherwise kill the whole process with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  m.load_state_file();

  m.state.set_event_listener([&m](const Json& payload) { m.webhooks.enqueue(payload); });
  register_core_admin_routes(m.admin, MockServices{m.state, m.faults, m.limits, m.stats, m.scripted, m.webhooks});
  register_campaign_handlers(m.api, m.admin);
  register_email_handlers(m.api, m.admin);
  register_lead_handlers(m.api, m.admin);
  register_account_handlers(m.api, m.admin);
  register_workspace_handlers(m.api, m.admin);
  register_webhook_handlers(m.api, m.admin, m.webhooks);
  register_poller_handlers(m.api, m.admin);

  auto& server = m.server;
  int threads = m.options.threads > 0 ? m.options.threads : 32;
  // Every keep-alive connection holds a worker, so the pool is sized for
  // many concurrent clients rather than for the core count.
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  // Without TCP_NODELAY, Nagle's algorithm meets the client's delayed ACK
  // and every keep-alive response waits ~40 ms.
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(100000);
  server.set_keep_alive_timeout(5);
  server.set_payload_max_length(64 * 1024 * 1024);
  declare_bodiless_requests_empty(server);
  auto handler = [&m](const httplib::Request& req, httplib::Response& res) { m.handle(req, res); };
  server.Get(".*", handler);
  server.Post(".*", handler);
  server.Put(".*", handler);
  server.Patch(".*", handler);
  server.Delete(".*", handler);

  if (m.options.port == 0) {
    m.port = server.bind_to_any_port(m.options.host);
  } else {
    m.port = server.bind_to_port(m.options.host, m.options.port) ? m.options.port : -1;
  }
  if (m.port <= 0) {
    throw std::runtime_error("cannot listen on " + m.options.host + ":" + std::to_string(m.options.port));
  }
  m.thread = std::thread([&server] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  m.started = true;
  return m.port;
}

void MockServer::stop() {
  Impl& m = *impl_;
  {
    std::lock_guard lock(m.lifecycle_mutex);
    if (!m.started || m.stopped) return;
    m.stopped = true;
  }
  m.server.stop();  // no new connections
  // Let requests being answered finish (bounded), then close the idle
  // keep-alive connections: cpp-httplib would wait out their timeout.
  for (int waited = 0; m.in_flight.load() > 0 && waited < 10000; waited += 5) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  shutdown_connections_on(m.port);
  if (m.thread.joinable()) m.thread.join();
  m.webhooks.stop();
  m.save_state_file();
}

int MockServer::port() const { return impl_->port; }

std::string MockServer::url() const {
  std::string host = impl_->options.host == "0.0.0.0" ? "127.0.0.1" : impl_->options.host;
  return "http://" + host + ":" + std::to_string(impl_->port);
}

State& MockServer::state() { return impl_->state; }

}  // namespace instantly::mock
