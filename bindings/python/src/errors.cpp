#include "errors.hpp"

#include <chrono>
#include <exception>
#include <optional>

#include <pybind11/pybind11.h>

#include "instantly/error.hpp"
#include "instantly/webhooks/spool.hpp"
#include "python_text.hpp"

namespace instantly_python {
namespace {

namespace py = pybind11;

// The Python class name of an ApiError: the most derived C++ class it is.
const char* api_error_class(const instantly::ApiError& e) {
  if (dynamic_cast<const instantly::BadRequestError*>(&e)) return "BadRequestError";
  if (dynamic_cast<const instantly::AuthenticationError*>(&e)) return "AuthenticationError";
  if (dynamic_cast<const instantly::PaymentRequiredError*>(&e)) return "PaymentRequiredError";
  if (dynamic_cast<const instantly::PermissionDeniedError*>(&e)) return "PermissionDeniedError";
  if (dynamic_cast<const instantly::NotFoundError*>(&e)) return "NotFoundError";
  if (dynamic_cast<const instantly::ConflictError*>(&e)) return "ConflictError";
  if (dynamic_cast<const instantly::UnprocessableEntityError*>(&e)) return "UnprocessableEntityError";
  if (dynamic_cast<const instantly::RateLimitError*>(&e)) return "RateLimitError";
  if (dynamic_cast<const instantly::InternalServerError*>(&e)) return "InternalServerError";
  return "ApiError";
}

py::dict api_error_attributes(const instantly::ApiError& e) {
  py::dict kwargs;
  kwargs["status_code"] = e.status();
  kwargs["error"] = python_text(e.error());
  kwargs["body"] = python_text(e.body());
  kwargs["method"] = python_text(e.method());
  kwargs["path"] = python_text(e.path());
  kwargs["attempts"] = e.attempts();
  kwargs["stop_reason"] = python_text(e.stop_reason());
  kwargs["server_message"] = python_text(e.message());
  if (const auto* limited = dynamic_cast<const instantly::RateLimitError*>(&e)) {
    const std::optional<std::chrono::milliseconds> after = limited->retry_after();
    kwargs["retry_after"] = after ? py::object(py::float_(static_cast<double>(after->count()) / 1000.0))
                                  : py::object(py::none());
  }
  return kwargs;
}

py::dict connection_error_attributes(const instantly::ApiConnectionError& e) {
  py::dict kwargs;
  kwargs["method"] = python_text(e.method());
  kwargs["path"] = python_text(e.path());
  kwargs["attempts"] = e.attempts();
  kwargs["stop_reason"] = python_text(e.stop_reason());
  kwargs["request_never_sent"] = e.request_never_sent();
  return kwargs;
}

// Raises `instantly._exceptions.<name>(message, **kwargs)` as the pending Python error.
void set_python_error(const char* name, const std::exception& e, const py::dict& kwargs) {
  try {
    const py::object cls = py::module_::import("instantly._exceptions").attr(name);
    const py::object error = cls(python_text(e.what()), **kwargs);
    PyErr_SetObject(cls.ptr(), error.ptr());
  } catch (py::error_already_set& failure) {
    failure.restore();  // better an error about the error than none
  }
}

void translate(const instantly::Error& e) {
  if (const auto* api = dynamic_cast<const instantly::ApiError*>(&e)) {
    set_python_error(api_error_class(*api), e, api_error_attributes(*api));
  } else if (const auto* connection = dynamic_cast<const instantly::ApiConnectionError*>(&e)) {
    const bool timeout = dynamic_cast<const instantly::ApiTimeoutError*>(&e) != nullptr;
    set_python_error(timeout ? "ApiTimeoutError" : "ApiConnectionError", e,
                     connection_error_attributes(*connection));
  } else if (const auto* cancelled = dynamic_cast<const instantly::CancelledError*>(&e)) {
    py::dict kwargs;
    kwargs["method"] = python_text(cancelled->method());
    kwargs["path"] = python_text(cancelled->path());
    kwargs["attempts"] = cancelled->attempts();
    kwargs["abandoned_in_flight"] = cancelled->abandoned_in_flight();
    set_python_error("CancelledError", e, kwargs);
  } else if (const auto* too_large = dynamic_cast<const instantly::ResponseTooLargeError*>(&e)) {
    py::dict kwargs;
    kwargs["limit"] = too_large->limit();
    kwargs["method"] = python_text(too_large->method());
    kwargs["path"] = python_text(too_large->path());
    kwargs["attempts"] = too_large->attempts();
    set_python_error("ResponseTooLargeError", e, kwargs);
  } else if (dynamic_cast<const instantly::ValidationError*>(&e)) {
    set_python_error("ValidationError", e, {});
  } else if (dynamic_cast<const instantly::DecodeError*>(&e)) {
    set_python_error("DecodeError", e, {});
  } else if (dynamic_cast<const instantly::PaginationError*>(&e)) {
    set_python_error("PaginationError", e, {});
  } else if (dynamic_cast<const instantly::RateLimiterError*>(&e)) {
    set_python_error("RateLimiterError", e, {});
  } else if (const auto* database = dynamic_cast<const instantly::DatabaseError*>(&e)) {
    py::dict kwargs;
    kwargs["sqlstate"] = database->sqlstate();
    // SchemaError first in Python's eyes too: it is a DatabaseError with a name of its own.
    set_python_error(dynamic_cast<const instantly::SchemaError*>(&e) ? "SchemaError" : "DatabaseError", e, kwargs);
  } else if (dynamic_cast<const instantly::webhooks::SpoolError*>(&e)) {
    // SpoolFullError first: a receiver answers it 503 "spool full", any other SpoolError "not spooled".
    set_python_error(dynamic_cast<const instantly::webhooks::SpoolFullError*>(&e) ? "SpoolFullError" : "SpoolError",
                     e, {});
  } else if (const auto* webhook = dynamic_cast<const instantly::WebhookVerificationError*>(&e)) {
    py::dict kwargs;
    kwargs["reason"] = instantly::to_string(webhook->reason());
    set_python_error("WebhookVerificationError", e, kwargs);
  } else {
    set_python_error("Error", e, {});
  }
}

}  // namespace

pybind11::object python_exception(std::exception_ptr failure) {
  try {
    std::rethrow_exception(failure);
  } catch (py::error_already_set& e) {
    return e.value();
  } catch (const instantly::Error& e) {
    translate(e);
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  } catch (...) {
    PyErr_SetString(PyExc_RuntimeError, "unknown C++ exception");
  }
  const py::error_already_set raised;  // takes the error set above out of the interpreter
  return raised.value();
}

void register_error_translator() {
  py::register_exception_translator([](std::exception_ptr pending) {
    if (!pending) return;
    try {
      std::rethrow_exception(pending);
    } catch (const instantly::Error& e) {
      translate(e);
    }
  });
}

}  // namespace instantly_python
