"""Liveness, readiness and Prometheus metrics endpoints, plus per-route request metrics."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

ReadinessCheck = Callable[[], None]
access_log = logging.getLogger("meridian.access")

REQUESTS = Counter("meridian_http_requests_total", "HTTP requests answered",
                   ["service", "method", "route", "status"])
LATENCY = Histogram("meridian_http_request_seconds", "HTTP request latency",
                    ["service", "method", "route"],
                    buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5))
# Per worker process ("liveall" adds its pid): saturation is requests in flight against the
# worker's threads, and a worker that is busy when it dies is the one whose clients see errors.
IN_FLIGHT = Gauge("meridian_http_requests_in_flight", "Requests being served, by worker process",
                  ["service"], multiprocess_mode="liveall")


def metrics_registry() -> CollectorRegistry:
    """The registry to expose: all gunicorn workers' metrics in multiprocess mode."""
    # Under gunicorn with several workers, PROMETHEUS_MULTIPROC_DIR aggregates all of them.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    from prometheus_client import REGISTRY
    return REGISTRY


class NotReady(Exception):
    """A readiness check's failure whose message says why (`unavailable: <message>`)."""


def _outcome(check: ReadinessCheck) -> str:
    try:
        check()
    except NotReady as exc:
        return f"unavailable: {exc}"
    except Exception as exc:  # any failure means "not ready", reported by its kind
        return f"unavailable: {type(exc).__name__}"
    return "ok"


def run_checks(checks: dict[str, ReadinessCheck]) -> dict[str, str]:
    """Every check's outcome by name, run in parallel so slow ones do not add up."""
    if len(checks) < 2:
        return {name: _outcome(check) for name, check in checks.items()}
    with ThreadPoolExecutor(max_workers=len(checks)) as pool:
        outcomes = pool.map(_outcome, checks.values())
        return dict(zip(checks, outcomes, strict=True))


def build_health_blueprint(checks: dict[str, ReadinessCheck],
                           required: tuple[str, ...] | None = None) -> Blueprint:
    """`/healthz`, `/readyz` (runs every check) and `/metrics`.

    With `required`, /readyz fails only when one of those checks fails, and says which they are.
    """
    bp = Blueprint("health", __name__)

    @bp.get("/healthz")
    def healthz():
        """Alive: answers without asking anyone else."""
        return jsonify({"status": "ok", "service": current_app.config["SERVICE_NAME"]})

    @bp.get("/readyz")
    def readyz():
        """Every readiness check; 503 with Retry-After when a required one fails."""
        results = run_checks(checks)
        needed = list(checks) if required is None else list(required)
        ready = all(results.get(name) == "ok" for name in needed)
        body = {"status": "ready" if ready else "not_ready", "checks": results}
        if required is not None:
            body["required"] = needed
        response = jsonify(body)
        response.status_code = 200 if ready else 503
        if not ready:
            response.headers["Retry-After"] = "5"
        return response

    @bp.get("/metrics")
    def metrics():
        """Prometheus text format, aggregated over workers when multiprocess mode is on."""
        return Response(generate_latest(metrics_registry()), mimetype=CONTENT_TYPE_LATEST)

    return bp


class LabelledCache:
    """A metric's children by label values, looked up once each: `labels()` validates and
    locks on every call, a cost paid on every request for the same handful of routes."""

    def __init__(self, metric):
        self._metric = metric
        self._children: dict[tuple[str, ...], object] = {}

    def __call__(self, *values: str):
        """The child for `values` (the same object `metric.labels(*values)` returns)."""
        child = self._children.get(values)
        if child is None:
            child = self._children[values] = self._metric.labels(*values)
        return child


def rule_label() -> str:
    """The current request's route template (never the raw path, which is unbounded)."""
    return request.url_rule.rule if request.url_rule else "<unmatched>"


def instrument(app: Flask, service: str, *, route_label: Callable[[], str] = rule_label,
               log_access: bool = True) -> None:
    """Count and time every request by `route_label()`; with `log_access`, one log line each."""
    requests, latency = LabelledCache(REQUESTS), LabelledCache(LATENCY)
    in_flight = IN_FLIGHT.labels(service)

    @app.before_request
    def _start_timer():
        g._started = time.perf_counter()
        # A scrape must not count itself: its answer would never read zero.
        if request.endpoint != "health.metrics":
            g._in_flight = in_flight
            in_flight.inc()

    @app.teardown_request
    def _done(_error):
        # Teardown runs for every request, failed ones included, so the gauge never drifts up.
        counted = g.pop("_in_flight", None)
        if counted is not None:
            counted.dec()

    @app.after_request
    def _observe(response):
        started = g.pop("_started", None)
        if started is not None:
            route = route_label()
            elapsed = time.perf_counter() - started
            requests(service, request.method, route, str(response.status_code)).inc()
            latency(service, request.method, route).observe(elapsed)
            if log_access:
                access_log.info("request", extra={
                    "method": request.method, "route": route, "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 2)})
        return response
