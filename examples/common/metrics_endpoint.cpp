#include "common/metrics_endpoint.hpp"

#include <instantly/prometheus.hpp>

#include <chrono>
#include <stdexcept>
#include <utility>

namespace examples {

MetricsEndpoint::MetricsEndpoint(const std::string& host, int port, std::function<std::string()> render)
    : host_(host) {
  server_.new_task_queue = [] { return new httplib::ThreadPool(1); };  // one scraper at a time is plenty
  server_.set_keep_alive_timeout(1);  // a scraper's idle connection must not hold up the exit
  server_.Get("/metrics", [render = std::move(render)](const httplib::Request&, httplib::Response& response) {
    response.set_content(render(), std::string(instantly::prometheus::kContentType));
  });
  server_.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(R"({"status":"ok"})", "application/json");
  });
  port_ = port == 0 ? server_.bind_to_any_port(host) : (server_.bind_to_port(host, port) ? port : -1);
  if (port_ <= 0) throw std::runtime_error("cannot listen for /metrics on " + host + ":" + std::to_string(port));
  listener_ = std::thread([this] { server_.listen_after_bind(); });
  while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

MetricsEndpoint::~MetricsEndpoint() {
  server_.stop();
  if (listener_.joinable()) listener_.join();
}

std::string MetricsEndpoint::url() const {
  const std::string host = host_ == "0.0.0.0" ? "127.0.0.1" : host_;
  return "http://" + host + ":" + std::to_string(port_) + "/metrics";
}

}  // namespace examples
