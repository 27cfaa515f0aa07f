"""Admission control for settlement writes (pure ASGI): shed load instead of queueing it.

A process works on at most ``ONESTOP_MAX_CONCURRENT_SETTLEMENTS`` settlement writes (``POST
/v1/settlements``, ``…/preview``, ``…/{id}/reversal``, and every call of the national interface,
``POST /fsi/api/rsfComIfsService/callService[/{infno}]``, whose body is only read behind the
gate) at a time; more wait in a first-come queue
for a free slot. Once the request at the head of that queue has waited longer than
``ONESTOP_ADMISSION_QUEUE_MS``, the queue is not keeping up: newly arriving requests are answered
at once with 503 problem+json, code ``overloaded``, and ``Retry-After``, before their body is
read or parsed, until the queue catches up. A request already queued waits at most
:data:`MAX_WAIT_FACTOR` times that long, then gets the same answer.

So a burst that arrives all at once (a ward's discharges, a HIS retrying after a network blip)
is queued and served, while sustained overload costs each refused request a few microseconds
instead of growing a queue in which every request gets slower, until clients time out and retry
into the same queue. A settlement is idempotent by ``(hospital_code, bill_no)``, and a
national-interface call by its ``msgid``, so retrying after ``Retry-After`` is always safe.
Nothing else is limited: reads, reconciliation and the probes pass untouched.
"""

from __future__ import annotations

import asyncio
import collections
import re
import time
from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from app.context import request_id_var
from app.errors import problem_response

__all__ = ["MAX_WAIT_FACTOR", "OVERLOADED_RETRY_AFTER_S", "AdmissionControl", "is_settlement_write"]

OVERLOADED_RETRY_AFTER_S = 1
MAX_WAIT_FACTOR = 3

_SETTLEMENT_WRITE = re.compile(
    r"^(?:/v1/settlements(?:/preview|/[^/]+/reversal)?"
    r"|/fsi/api/rsfComIfsService/callService(?:/[^/]+)?)/?$"
)


def is_settlement_write(method: str, path: str) -> bool:
    return method == "POST" and _SETTLEMENT_WRITE.match(path) is not None


class AdmissionControl:
    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int,
        queue_s: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """``limit`` 0 admits everything. ``clock`` (seconds) times how long the queue's head has
        waited, and a queued request gives up after ``sleep(queue_s × MAX_WAIT_FACTOR)``: a
        test passes a clock it advances itself instead of waiting."""
        self.app = app
        self.limit = limit
        self.queue_s = queue_s
        self._clock = clock
        self._sleep = sleep
        self.in_flight = 0
        # (enqueued at, future set when a finishing request hands over its slot), oldest first
        self._queue: collections.deque[tuple[float, asyncio.Future[None]]] = collections.deque()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.limit <= 0
            or scope["type"] != "http"
            or not is_settlement_write(scope["method"], scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        if self.in_flight < self.limit and not self._queue:
            self.in_flight += 1
        elif not await self._wait_for_slot():
            await self._refuse(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._release()

    async def _wait_for_slot(self) -> bool:
        """Queue for a slot; False when refused (the queue is not keeping up, or timed out)."""
        now = self._clock()
        if self._queue and now - self._queue[0][0] > self.queue_s:
            return False
        entry = (now, asyncio.get_running_loop().create_future())
        self._queue.append(entry)
        slot = entry[1]
        give_up = asyncio.ensure_future(self._sleep(self.queue_s * MAX_WAIT_FACTOR))
        try:
            await asyncio.wait((slot, give_up), return_when=asyncio.FIRST_COMPLETED)
        except BaseException:  # cancelled: the client went away, the server is stopping
            self._leave(entry)
            raise
        finally:
            give_up.cancel()
        if slot.done() and not slot.cancelled():
            return True
        self._leave(entry)
        return False

    def _leave(self, entry: tuple[float, asyncio.Future[None]]) -> None:
        slot = entry[1]
        if slot.done() and not slot.cancelled():
            self._release()  # handed a slot just as the wait ended: pass it on
        elif entry in self._queue:
            self._queue.remove(entry)

    def _release(self) -> None:
        """Hand this slot to the longest-waiting request, or free it."""
        while self._queue:
            _, slot = self._queue.popleft()
            if not slot.done():
                slot.set_result(None)
                return
        self.in_flight -= 1

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            status=503,
            code="overloaded",
            title="Service Unavailable",
            detail=f"More settlement requests than this instance can take at once; retry in "
            f"{OVERLOADED_RETRY_AFTER_S} s (a repeated settlement is safe: the bill number makes "
            "it idempotent).",
            headers={"Retry-After": str(OVERLOADED_RETRY_AFTER_S)},
            request_id=request_id_var.get(),
        )
        await response(scope, receive, send)
