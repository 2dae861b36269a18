"""Liveness, readiness and Prometheus metrics endpoints, plus per-route request metrics."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
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


def metrics_registry() -> CollectorRegistry:
    """The registry to expose: all gunicorn workers' metrics in multiprocess mode."""
    # Under gunicorn with several workers, PROMETHEUS_MULTIPROC_DIR aggregates all of them.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    from prometheus_client import REGISTRY
    return REGISTRY


def build_health_blueprint(checks: dict[str, ReadinessCheck]) -> Blueprint:
    """`/healthz`, `/readyz` (runs every check) and `/metrics`."""
    bp = Blueprint("health", __name__)

    @bp.get("/healthz")
    def healthz():
        return jsonify({"status": "ok", "service": current_app.config["SERVICE_NAME"]})

    @bp.get("/readyz")
    def readyz():
        results, ready = {}, True
        for name, check in checks.items():
            try:
                check()
                results[name] = "ok"
            except Exception as exc:  # any failure means "not ready", reported by name
                results[name] = f"unavailable: {type(exc).__name__}"
                ready = False
        body = {"status": "ready" if ready else "not_ready", "checks": results}
        response = jsonify(body)
        response.status_code = 200 if ready else 503
        if not ready:
            response.headers["Retry-After"] = "5"
        return response

    @bp.get("/metrics")
    def metrics():
        return Response(generate_latest(metrics_registry()), mimetype=CONTENT_TYPE_LATEST)

    return bp


def instrument(app: Flask, service: str) -> None:
    """Count and time every request by its route template (never the raw path)."""

    @app.before_request
    def _start_timer():
        g._started = time.perf_counter()

    @app.after_request
    def _observe(response):
        started = g.pop("_started", None)
        if started is not None:
            route = request.url_rule.rule if request.url_rule else "<unmatched>"
            elapsed = time.perf_counter() - started
            REQUESTS.labels(service, request.method, route, str(response.status_code)).inc()
            LATENCY.labels(service, request.method, route).observe(elapsed)
            access_log.info("request", extra={"method": request.method, "route": route,
                                              "status": response.status_code,
                                              "duration_ms": round(elapsed * 1000, 2)})
        return response
