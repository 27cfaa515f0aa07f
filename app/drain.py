"""Graceful shutdown: once it starts, requests already running finish and new API requests are
refused with 503 (``Retry-After``), so a client retries against another instance.

uvicorn, on SIGTERM, stops accepting connections, lets running requests finish (up to
``ONESTOP_SHUTDOWN_TIMEOUT_S``) and only then runs the lifespan shutdown. Until its main loop
notices the signal (a tick of 0.1 s) it still reads requests from open keep-alive connections:
:meth:`Drain.on_signals` therefore starts draining in the signal handler itself, ahead of the
server's own handler, which it then calls. ``/readyz`` reports 503 while draining, so a load
balancer that still probes this instance takes it out.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = ["RETRY_AFTER_S", "Drain"]

RETRY_AFTER_S = 5
"""Sent as ``Retry-After`` with the 503 of a draining instance."""

_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Drain:
    """Process-wide "shutting down" flag of one application."""

    def __init__(self) -> None:
        self._active = False

    @property
    def active(self) -> bool:
        return self._active

    def start(self) -> None:
        self._active = True

    @contextmanager
    def on_signals(self) -> Iterator[None]:
        """While inside, SIGTERM and SIGINT start draining, then reach the handler the server
        installed. Only Python-level handlers are chained (a server that installed none gets
        none); the previous handlers are restored on exit."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous: dict[signal.Signals, Callable[[int, FrameType | None], Any]] = {}
        for sig in _SIGNALS:
            handler = signal.getsignal(sig)
            if callable(handler):
                previous[sig] = handler
                signal.signal(sig, self._chained(handler))
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _chained(
        self, handler: Callable[[int, FrameType | None], Any]
    ) -> Callable[[int, FrameType | None], Any]:
        def on_signal(signum: int, frame: FrameType | None) -> Any:
            self.start()
            return handler(signum, frame)

        return on_signal
