// The webhook spool (instantly/webhooks/spool.hpp), re-exported by `instantly.webhooks`:
// `_core.Spool`, `_core.SpoolBatch`, `_core.SpooledDelivery`, `_core.SpoolPosition` and
// `_core.SpoolUsage`. The Python receiver appends and forwards through these, so both receivers
// write one format on disk and either drains the other's spool (docs/nothing-lost.md).
//
// append() and read() release the GIL: an append waits for an fdatasync and a read may wait for
// a delivery, and other request threads must go on meanwhile. A call's own `self` stays alive
// while the GIL is released (the caller holds it), and close() is the C++ class's way to wake a
// read() that waits, so closing from another thread is safe.
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "instantly/error.hpp"
#include "instantly/webhooks/spool.hpp"
#include "python_text.hpp"

namespace instantly_python {
namespace {

namespace py = pybind11;
namespace wh = instantly::webhooks;

// A body as bytes: what arrived, byte for byte (str is refused: its encoding would be a guess).
std::string_view body_bytes(const py::handle& body, std::string& holder) {
  if (py::isinstance<py::bytes>(body)) {
    holder = body.cast<std::string>();
  } else if (py::isinstance<py::bytearray>(body) || py::isinstance<py::memoryview>(body)) {
    holder = py::module_::import("builtins").attr("bytes")(body).cast<std::string>();
  } else {
    throw py::type_error("a spooled body is bytes, not " +
                         py::str(py::type::of(body).attr("__name__")).cast<std::string>());
  }
  return holder;
}

std::chrono::milliseconds wait_from(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 86400) {
    throw instantly::ValidationError("wait must be a number of seconds between 0 and 86400");
  }
  return std::chrono::milliseconds(std::llround(seconds * 1000));
}

wh::SpoolOptions options_from(py::object directory, std::uint64_t max_bytes, std::uint64_t segment_bytes) {
  if (max_bytes == 0) throw instantly::ValidationError("max_bytes must be positive");
  if (segment_bytes == 0) throw instantly::ValidationError("segment_bytes must be positive");
  // str or any os.PathLike, as open() takes.
  const std::string path = py::module_::import("os").attr("fsdecode")(directory).cast<std::string>();
  if (path.empty()) throw instantly::ValidationError("the spool needs a directory");
  return wh::SpoolOptions{.directory = path, .max_bytes = max_bytes, .segment_bytes = segment_bytes};
}

void bind_values(py::module_& module) {
  py::class_<wh::SpoolPosition>(module, "SpoolPosition",
                                "A place in the spool (a read() batch's end), for commit(). Opaque: compare it, "
                                "hand it back, do not build one.")
      .def_readonly("segment", &wh::SpoolPosition::segment)
      .def_readonly("offset", &wh::SpoolPosition::offset)
      .def("__eq__",
           [](const wh::SpoolPosition& self, const py::object& other) -> py::object {
             if (!py::isinstance<wh::SpoolPosition>(other)) {
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             }
             return py::bool_(self == other.cast<const wh::SpoolPosition&>());
           })
      .def("__hash__", [](const wh::SpoolPosition& p) { return py::hash(py::make_tuple(p.segment, p.offset)); })
      .def("__repr__", [](const wh::SpoolPosition& p) {
        return py::str("SpoolPosition(segment={}, offset={})").format(p.segment, p.offset);
      });

  py::class_<wh::SpooledDelivery>(module, "SpooledDelivery", "One delivery as it was accepted.")
      .def_property_readonly("received_at", [](const wh::SpooledDelivery& d) { return python_text(d.received_at); },
                             "When it was accepted: ISO 8601 UTC with milliseconds.")
      .def_property_readonly("content_type", [](const wh::SpooledDelivery& d) { return python_text(d.content_type); },
                             "The request's Content-Type, or \"\".")
      .def_property_readonly("body", [](const wh::SpooledDelivery& d) { return py::bytes(d.body); },
                             "The body, byte for byte.")
      // Not the body: it may hold a lead's email and reply text.
      .def("__repr__", [](const wh::SpooledDelivery& d) {
        return py::str("SpooledDelivery(received_at={!r}, content_type={!r}, body=<{} bytes>)")
            .format(python_text(d.received_at), python_text(d.content_type), d.body.size());
      });

  py::class_<wh::SpoolBatch>(module, "SpoolBatch", "What read() returns: deliveries in arrival order, and the end.")
      .def_readonly("deliveries", &wh::SpoolBatch::deliveries)
      .def_readonly("end", &wh::SpoolBatch::end)
      .def("__len__", [](const wh::SpoolBatch& b) { return b.deliveries.size(); })
      .def("__repr__", [](const wh::SpoolBatch& b) {
        return py::str("<SpoolBatch deliveries={} end={!r}>").format(b.deliveries.size(), py::cast(b.end));
      });

  py::class_<wh::SpoolUsage>(module, "SpoolUsage", "How full the spool is.")
      .def_readonly("bytes", &wh::SpoolUsage::bytes, "The segment files' total size.")
      .def_readonly("max_bytes", &wh::SpoolUsage::max_bytes, "The bound.")
      .def_readonly("pending", &wh::SpoolUsage::pending, "Deliveries appended and not yet committed.")
      .def_property_readonly("fill", &wh::SpoolUsage::fill, "bytes / max_bytes.")
      .def("__repr__", [](const wh::SpoolUsage& u) {
        return py::str("SpoolUsage(bytes={}, max_bytes={}, pending={}, fill={:.3f})")
            .format(u.bytes, u.max_bytes, u.pending, u.fill());
      });
}

void bind_spool_class(py::module_& module) {
  py::class_<wh::Spool>(module, "Spool",
                        "A local durable spool of webhook deliveries: append() returns once the delivery is on "
                        "disk; a forwarder read()s, stores and commit()s. One process per directory.")
      .def(py::init([](py::object directory, std::uint64_t max_bytes, std::uint64_t segment_bytes) {
             wh::SpoolOptions options = options_from(std::move(directory), max_bytes, segment_bytes);
             const py::gil_scoped_release unlocked;  // recovery reads the last segment
             return new wh::Spool(std::move(options));
           }),
           py::arg("directory"), py::arg("max_bytes") = std::uint64_t{1} << 30,
           py::arg("segment_bytes") = std::uint64_t{64} << 20)
      .def(
          "append",
          [](wh::Spool& spool, const py::handle& body, std::string content_type) {
            std::string holder;
            const std::string_view bytes = body_bytes(body, holder);
            const py::gil_scoped_release unlocked;
            spool.append(bytes, content_type);
          },
          py::arg("body"), py::arg("content_type") = "",
          "Returns once the delivery is on disk. Raises SpoolFullError at the bound, SpoolError otherwise.")
      .def(
          "read",
          [](wh::Spool& spool, std::size_t max, double wait) {
            const std::chrono::milliseconds timeout = wait_from(wait);
            const py::gil_scoped_release unlocked;
            return spool.read(max, timeout);
          },
          py::arg("max"), py::arg("wait") = 0.0,
          "Up to `max` deliveries after the last batch read (or the committed position), waiting up to `wait` "
          "seconds for one.")
      .def(
          "commit",
          [](wh::Spool& spool, const wh::SpoolPosition& end) {
            const py::gil_scoped_release unlocked;  // an fdatasync and a rename
            spool.commit(end);
          },
          py::arg("end"), "Everything up to `end` (a batch's end) is stored: the position moves there durably.")
      .def("committed", &wh::Spool::committed, "Where reading starts again after a restart.")
      .def("rewind", &wh::Spool::rewind, "The next read() starts at the committed position again.")
      .def("usage", &wh::Spool::usage)
      .def_property_readonly("directory", [](const wh::Spool& spool) { return spool.directory().string(); })
      .def(
          "close",
          [](wh::Spool& spool) {
            const py::gil_scoped_release unlocked;
            spool.close();
          },
          "Wakes a read() that waits, refuses later appends, releases the directory.")
      .def("__enter__", [](py::object self) { return self; })
      .def(
          "__exit__",
          [](wh::Spool& spool, const py::args&) {
            const py::gil_scoped_release unlocked;
            spool.close();
          })
      .def("__repr__", [](const wh::Spool& spool) {
        return py::str("Spool(directory={!r})").format(spool.directory().string());
      });
}

}  // namespace

void bind_spool(py::module_& module) {
  bind_values(module);
  bind_spool_class(module);
}

}  // namespace instantly_python
