#include "python_logger.hpp"

#include <pybind11/pybind11.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>

#include "python_state.hpp"

namespace py = pybind11;

namespace instantly_python {
namespace {

// Python's logging levels for ours.
int python_level(instantly::LogLevel level) {
  switch (level) {
    case instantly::LogLevel::Debug: return 10;
    case instantly::LogLevel::Info: return 20;
    case instantly::LogLevel::Warning: return 30;
    case instantly::LogLevel::Error: return 40;
  }
  return 40;
}

// A level change in Python shows within this long: long enough that a busy import asks Python
// (and takes the GIL) about once a second, short enough to feel immediate when debugging.
constexpr std::chrono::milliseconds kRecheckEvery{1000};

// Nothing is wanted: above every level.
constexpr int kNothing = 100;

void append_python_field(std::string& text, const instantly::LogField& field) {
  text += ' ';
  text.append(field.key);
  text += '=';
  std::visit([&text](const auto& value) {
    using Value = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<Value, std::string_view>) {
      const bool bare = !value.empty() && value.find_first_of(" \"=\n\r\t") == std::string_view::npos;
      if (bare) {
        text.append(value);
      } else {
        text += '"';
        for (char c : value) {
          if (c == '"' || c == '\\') text += '\\';
          if (c == '\n') { text += "\\n"; continue; }
          if (c == '\r') { text += "\\r"; continue; }
          text += c;
        }
        text += '"';
      }
    } else if constexpr (std::is_same_v<Value, double>) {
      text += std::to_string(value);
    } else {
      text += std::to_string(value);
    }
  }, field.value);
}

class PythonLogger final : public instantly::Logger {
 public:
  bool enabled(instantly::LogLevel level) const noexcept override {
    recheck_if_stale();
    return python_level(level) >= threshold_.load(std::memory_order_relaxed);
  }

  void log(instantly::LogLevel level, std::string_view message, std::span<const instantly::LogField> fields) override {
    if (!python_is_usable()) return;
    py::gil_scoped_acquire gil;
    try {
      std::string text(message);
      py::dict extra;
      for (const instantly::LogField& field : fields) {
        append_python_field(text, field);
        const py::str key(field.key.data(), field.key.size());
        std::visit([&](const auto& value) {
          using Value = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<Value, std::string_view>) {
            extra[key] = py::str(value.data(), value.size());
          } else {
            extra[key] = py::cast(value);
          }
        }, field.value);
      }
      // "%s" keeps a '%' in a value from being read as a format.
      logger().attr("log")(python_level(level), "%s", py::str(text), py::arg("extra") = extra);
    } catch (py::error_already_set& error) {
      // A broken handler is logging's own business (it reports those itself); never the call's.
      error.discard_as_unraisable("instantly: writing a log record");
    }
  }

  void recheck() const {
    checked_at_.store(std::chrono::steady_clock::now().time_since_epoch().count(), std::memory_order_relaxed);
    try {
      const py::object instance = logger();
      int threshold = kNothing;
      for (int level : {10, 20, 30, 40}) {
        if (instance.attr("isEnabledFor")(level).cast<bool>()) {
          threshold = level;
          break;
        }
      }
      threshold_.store(threshold, std::memory_order_relaxed);
    } catch (py::error_already_set& error) {
      error.discard_as_unraisable("instantly: reading the log level");
    }
  }

 private:
  static py::object logger() { return py::module_::import("logging").attr("getLogger")("instantly"); }

  void recheck_if_stale() const noexcept {
    const std::int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
    std::int64_t checked = checked_at_.load(std::memory_order_relaxed);
    const std::int64_t period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(kRecheckEvery).count();
    if (now - checked < period) return;
    // One thread asks Python; the others go on with the cached answer meanwhile.
    if (!checked_at_.compare_exchange_strong(checked, now)) return;
    if (!python_is_usable()) return;
    try {
      py::gil_scoped_acquire gil;
      recheck();  // stores the time again: harmless
    } catch (...) {
      // Keep the last answer.
    }
  }

  mutable std::atomic<int> threshold_{kNothing};
  mutable std::atomic<std::int64_t> checked_at_{0};
};

const std::shared_ptr<PythonLogger>& shared_python_logger() {
  // Leaked on purpose: C++ threads may still log while the interpreter shuts down, and a
  // static destructor running after Python is gone must not touch Python objects.
  static const auto* logger = new std::shared_ptr<PythonLogger>(std::make_shared<PythonLogger>());
  return *logger;
}

}  // namespace

std::shared_ptr<instantly::Logger> python_logger() { return shared_python_logger(); }

void refresh_python_log_level() { shared_python_logger()->recheck(); }

}  // namespace instantly_python
