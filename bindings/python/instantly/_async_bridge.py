"""How a coroutine waits for the C++ core without blocking its event loop.

The `_core.start_*` functions return a PendingCall at once and run the call on the core's pooled
worker threads (a worker is reused, none is started per call). When the call ends, the worker
posts its outcome to the CompletionPort of the loop that started it, without taking the GIL; the
port's eventfd wakes the loop, which drains every finished call at once on its own thread and
resumes the coroutines waiting on them. Cancelling the awaiting task cancels the PendingCall: a
transfer, a rate-limit wait or a retry back-off ends at once and nothing more is sent.
"""
from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Optional, Tuple

from . import _core

__all__ = ["await_core"]

#: What the awaiting side gives the core to find it again: the future and the event set once the
#: core let go of the call (see await_core).
Token = Tuple["asyncio.Future[Any]", asyncio.Event]

#: `start(port, token)`: starts a core call whose outcome goes to `port` with `token`.
StartCall = Callable[["_core.CompletionPort", Token], "_core.PendingCall"]

# One port per running loop, made on the loop's first call. The loop's reader keeps the port
# alive as long as the loop lives; the key is weak so that a closed loop does not stay here.
_ports: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _core.CompletionPort]" = weakref.WeakKeyDictionary()


def _deliver(port: "_core.CompletionPort") -> None:
    for (future, ended), value, error in port.drain():
        ended.set()
        if future.done():  # cancelled meanwhile: the outcome has nobody to go to
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)


def _port_of(loop: asyncio.AbstractEventLoop) -> "_core.CompletionPort":
    port = _ports.get(loop)
    if port is None:
        port = _core.CompletionPort()
        loop.add_reader(port.fileno(), _deliver, port)
        _ports[loop] = port
    return port


async def await_core(start: StartCall) -> Any:
    """Starts a core call with `start` and waits for its outcome: its value, or the exception
    the synchronous client would have raised.

    Cancelled, it stops the call and waits (briefly: stopping ends transfers and waits at once)
    until the core has let go of it before CancelledError goes on, so that nothing more is sent
    once the caller sees the cancellation; a lead import's checkpoint is then complete."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()
    ended = asyncio.Event()
    pending = start(_port_of(loop), (future, ended))
    try:
        return await future
    except asyncio.CancelledError:
        pending.cancel()
        await ended.wait()  # a second cancellation ends this wait, and that is the caller's choice
        raise
