#include "router.hpp"

namespace instantly::mock {

void Router::on(std::string_view operation_id, Handler handler) {
  if (auto it = preparers_.find(operation_id); it != preparers_.end()) preparers_.erase(it);
  handlers_.insert_or_assign(std::string(operation_id), std::move(handler));
}

void Router::on(std::string_view operation_id, Preparer preparer, Handler handler) {
  preparers_.insert_or_assign(std::string(operation_id), std::move(preparer));
  handlers_.insert_or_assign(std::string(operation_id), std::move(handler));
}

const Handler* Router::find(std::string_view operation_id) const {
  auto it = handlers_.find(operation_id);
  return it == handlers_.end() ? nullptr : &it->second;
}

const Preparer* Router::find_preparer(std::string_view operation_id) const {
  auto it = preparers_.find(operation_id);
  return it == preparers_.end() ? nullptr : &it->second;
}

namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  if (!path.empty() && path.front() == '/') start = 1;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    segments.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

}  // namespace

void AdminRouter::on(std::string method, std::string pattern, AdminHandler handler) {
  routes_.push_back({std::move(method), split_path(pattern), std::move(handler)});
}

const AdminHandler* AdminRouter::match(std::string_view method, std::string_view path,
                                       std::vector<std::pair<std::string, std::string>>& path_params) const {
  auto segments = split_path(path);
  for (const auto& route : routes_) {
    if (route.method != method || route.segments.size() != segments.size()) continue;
    std::vector<std::pair<std::string, std::string>> params;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      const auto& want = route.segments[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        if (segments[i].empty()) ok = false;
        else params.emplace_back(want.substr(1, want.size() - 2), segments[i]);
      } else {
        ok = want == segments[i];
      }
    }
    if (ok) {
      path_params = std::move(params);
      return &route.handler;
    }
  }
  return nullptr;
}

std::vector<std::string> AdminRouter::routes() const {
  std::vector<std::string> out;
  for (const auto& route : routes_) {
    std::string text = route.method + " /__mock";
    for (const auto& segment : route.segments) text += "/" + segment;
    out.push_back(std::move(text));
  }
  return out;
}

}  // namespace instantly::mock
