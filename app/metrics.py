"""Prometheus metrics and ``GET /metrics``.

- ``onestop_http_request_duration_seconds{method, route, status}``: latency by route template
  (``/v1/settlements/{settlement_id}``, never the raw path; ``unmatched`` for unknown paths).
- ``onestop_http_requests_in_flight``.
- ``onestop_settlements_total{operation, outcome}``: ``operation`` is ``settle`` or ``reverse``;
  ``outcome`` is ``created`` (201, or a first reversal), ``replayed`` (the same settlement or
  reversal again), ``conflict`` (409 ``bill_conflict``, ``bill_reversed``,
  ``replaces_mismatch``), ``rejected`` (any other 4xx) or ``error`` (5xx, including a failed
  commit).
- business figures, only with ``ONESTOP_METRICS_BUSINESS=true`` (``/metrics`` asks for no key,
  so by default it shows no money): ``onestop_fund_paid_fen_total{fund_code, layer}`` and
  ``onestop_fund_reversed_fen_total``, what each fund paid on new settlements and gave back on
  reversals, in fen (0.01 yuan), so the sums are exact. Paid minus reversed is the fund's net
  outlay. Off, they are neither counted nor shown (nor what other workers counted, in
  multiprocess mode). Reconciliation (``/v1/reconciliation/totals``, with a key) has the same
  figures per day range.
- ``onestop_db_pool_connections{pool, state}`` (``checked_out``, ``idle``, ``overflow``) and
  ``onestop_db_pool_size{pool}`` for the ``primary`` and (when configured) ``read`` pools, read
  from SQLAlchemy at scrape time (in multiprocess mode also after each request, since a scrape
  reaches one worker but reports all).
- ``onestop_commits_unconfirmed_total``: COMMITs that returned with a warning (a cancelled wait
  for the synchronous standby), counted where it is seen, in :mod:`app.db.durability`.

Settlement figures are recorded by the request middleware when the response status is known,
that is after the commit: a settlement whose commit failed is an ``error`` and adds no money.

Several worker processes (``onestop serve --workers N``): each process has its own counters.
Set ``PROMETHEUS_MULTIPROC_DIR`` to an empty writable directory and ``/metrics`` aggregates all
workers (prometheus-client's multiprocess mode; ``onestop serve`` empties the directory at start).
Without it, each scrape sees the one worker that answered it.

Why hand-written (issue 18 tried prometheus-fastapi-instrumentator 8.1 and starlette-exporter
0.24 here): :mod:`app.middleware` already has each request's route template, status and
duration for its log line, so the latency histogram is one ``observe`` call. The instrumentator
times the request again and finds its route again by matching the path against every route:
+32 µs of CPU per request on ``/healthz``, +99 µs on an unmatched path, about +50 µs on the
settlement routes (in process, median of 10 interleaved rounds of 1,000; about 1% of a
settlement's 5-8 ms of app CPU, below what ``bench/http.py`` resolves on this machine). It buys
nothing and loses features: its route label is ``{settlement_id:uuid}``; a path with a trailing
slash (``/v1/persons/<ID number>/``) is labelled with the raw path, which would put ID numbers in
clear on the keyless ``/metrics`` and make the label unbounded; its in-flight gauge is registered
again by every app built in one process (``DuplicateTimeseries`` in the tests). So our template
would have to be passed in anyway. starlette-exporter fixes other label names (``path``,
``status_code``, ``app_name``), drops or renames unmatched paths and costs +72 µs on
``/healthz``. Neither offers what the rest of this module does: settlement outcomes, the fund
counters behind ``ONESTOP_METRICS_BUSINESS``, the pool gauges, and a multiprocess ``/metrics``
that leaves the business families out.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncEngine

from app.settlement.schemas import SettlementOut

__all__ = [
    "BUSINESS_METRICS",
    "RequestMetrics",
    "begin_request",
    "finish_request",
    "multiprocess_dir",
    "process_stopped",
    "router",
    "settlement_returned",
]


def multiprocess_dir() -> str | None:
    """prometheus-client reads this variable itself, when this module is imported."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


_MULTIPROCESS = multiprocess_dir() is not None
disable_created_metrics()  # type: ignore[no-untyped-call]  # no `_created` series

REQUEST_SECONDS = Histogram(
    "onestop_http_request_duration_seconds",
    "HTTP request latency by route template and status.",
    ["method", "route", "status"],
)
IN_FLIGHT = Gauge(
    "onestop_http_requests_in_flight",
    "HTTP requests being served.",
    multiprocess_mode="livesum",
)
SETTLEMENTS = Counter(
    "onestop_settlements",
    "Settlement and reversal requests by outcome.",
    ["operation", "outcome"],
)
FUND_PAID_FEN = Counter(
    "onestop_fund_paid_fen",
    "Paid by each fund on new settlements, in fen (0.01 yuan).",
    ["fund_code", "layer"],
)
FUND_REVERSED_FEN = Counter(
    "onestop_fund_reversed_fen",
    "Given back to each fund by reversals, in fen (0.01 yuan).",
    ["fund_code", "layer"],
)
BUSINESS_METRICS = frozenset({"onestop_fund_paid_fen", "onestop_fund_reversed_fen"})
"""Families with business figures (money): off ``/metrics`` unless ONESTOP_METRICS_BUSINESS."""
POOL_CONNECTIONS = Gauge(
    "onestop_db_pool_connections",
    "Database connections of the SQLAlchemy pool by state.",
    ["pool", "state"],
    multiprocess_mode="livesum",
)
POOL_SIZE = Gauge(
    "onestop_db_pool_size",
    "Configured size of the SQLAlchemy pool (as many again may overflow).",
    ["pool"],
    multiprocess_mode="livesum",
)

OPERATIONS = {"createSettlement": "settle", "reverseSettlement": "reverse"}
"""operationId → ``operation`` label."""
OUTCOMES = {
    "settle": ("created", "replayed", "conflict", "rejected", "error"),
    "reverse": ("created", "replayed", "rejected", "error"),
}
for _operation, _names in OUTCOMES.items():
    for _name in _names:
        SETTLEMENTS.labels(_operation, _name)  # every series exists from the start, at 0


@dataclass(slots=True)
class RequestMetrics:
    """What one request learnt on its way through: filled by the endpoints, read by
    :func:`finish_request`."""

    settlement: SettlementOut | None = None
    created: bool = False


_current: ContextVar[RequestMetrics | None] = ContextVar("request_metrics", default=None)


def begin_request() -> RequestMetrics:
    IN_FLIGHT.inc()
    state = RequestMetrics()
    _current.set(state)
    return state


def settlement_returned(out: SettlementOut, *, created: bool) -> None:
    """Called by the settlement and reversal endpoints with what they return, and whether this
    request wrote it (``False``: a replayed settlement or a repeated reversal)."""
    if (state := _current.get()) is not None:
        state.settlement = out
        state.created = created


def finish_request(
    state: RequestMetrics,
    *,
    app: FastAPI | None,
    method: str,
    route: str,
    operation_id: str | None,
    status: int,
    duration_s: float,
) -> None:
    _current.set(None)
    IN_FLIGHT.dec()
    if app is not None and _MULTIPROCESS:
        observe_pools(app)
    REQUEST_SECONDS.labels(method, route, str(status)).observe(duration_s)
    operation = OPERATIONS.get(operation_id or "")
    if operation is None:
        return
    outcome = _outcome(operation, status, state)
    SETTLEMENTS.labels(operation, outcome).inc()
    if outcome == "created" and state.settlement is not None and _business(app):
        counter = FUND_PAID_FEN if operation == "settle" else FUND_REVERSED_FEN
        for layer in state.settlement.layers:
            counter.labels(layer.fund_code, layer.layer).inc(layer.paid)  # fen, an int


def _business(app: FastAPI | None) -> bool:
    """Whether the app's settings turn the business figures on (ONESTOP_METRICS_BUSINESS)."""
    settings = getattr(getattr(app, "state", None), "settings", None)
    return getattr(settings, "metrics_business", False) is True


def _outcome(operation: str, status: int, state: RequestMetrics) -> str:
    if status >= 500:
        return "error"
    if operation == "settle":
        return {201: "created", 200: "replayed", 409: "conflict"}.get(status, "rejected")
    if status == 200:
        return "created" if state.created else "replayed"
    return "rejected"


def observe_pools(app: FastAPI) -> None:
    """Read the pools' current state into the gauges (the app's lifespan must be running)."""
    engine: AsyncEngine | None = getattr(app.state, "engine", None)
    if engine is None:
        return
    pools = {"primary": engine}
    read_engine: AsyncEngine | None = getattr(app.state, "read_engine", None)
    if read_engine is not None and read_engine is not engine:
        pools["read"] = read_engine
    for name, each in pools.items():
        pool: Any = each.pool  # QueuePool; its counters are not part of the Pool interface
        POOL_SIZE.labels(name).set(pool.size())
        POOL_CONNECTIONS.labels(name, "checked_out").set(pool.checkedout())
        POOL_CONNECTIONS.labels(name, "idle").set(pool.checkedin())
        POOL_CONNECTIONS.labels(name, "overflow").set(max(pool.overflow(), 0))


def process_stopped() -> None:
    """Drop this worker's live gauges from the multiprocess aggregate."""
    if multiprocess_dir() is not None:
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


class _Without(Collector):
    """``source``'s metric families but those named in ``names``."""

    def __init__(self, source: Collector, names: frozenset[str]) -> None:
        self.source = source
        self.names = names

    def collect(self) -> Iterable[Metric]:
        return (family for family in self.source.collect() if family.name not in self.names)


def _render(*, business: bool) -> bytes:
    source: Collector = REGISTRY
    if multiprocess_dir() is not None:
        source = CollectorRegistry()
        multiprocess.MultiProcessCollector(source)  # type: ignore[no-untyped-call]
    return generate_latest(source if business else _Without(source, BUSINESS_METRICS))


router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    operation_id="getMetrics",
    summary="监控指标 Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_PLAIN_0_0_4: {"schema": {"type": "string"}}}}},
)
async def metrics(request: Request) -> Response:
    """Metrics in the Prometheus text format (see the README, "Operations")."""
    observe_pools(request.app)
    return Response(_render(business=_business(request.app)), media_type=CONTENT_TYPE_PLAIN_0_0_4)
