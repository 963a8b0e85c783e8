// `instantly.Client(observer=...)`: a Python object as the core's `instantly::Observer`. Each
// event becomes an immutable object of instantly.observability (AttemptEvent, ...) handed to the
// observer's method of that name.
#pragma once

#include <memory>

#include <pybind11/pybind11.h>

#include "instantly/observer.hpp"

namespace instantly_python {

/// `hooks`: the observer's six bound methods or None, in the order of
/// instantly.observability.HOOKS (its `hooks_of` makes the tuple). Called with the GIL held.
///
/// Events fire on C++ threads with the GIL released; the GIL is taken only for a hook the
/// observer has, and never while the interpreter is finalizing. A hook that raises becomes a
/// std::runtime_error holding the exception's class and text (no traceback), which the core's
/// EventSink catches and reports once through the client's logger; the call goes on.
std::shared_ptr<instantly::Observer> make_python_observer(const pybind11::tuple& hooks);

}  // namespace instantly_python
