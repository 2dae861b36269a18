"""Request metrics labelled by routing-table entry, plus the gateway's upstream metrics."""

from __future__ import annotations

import time

from flask import Flask, g, request
from prometheus_client import Counter, Histogram

from meridian_common.web.health import LATENCY, REQUESTS

UPSTREAM_FAILURES = Counter(
    "meridian_gateway_upstream_failures_total",
    "Requests the gateway could not complete upstream, by service and reason",
    ["upstream", "reason"],
)
UPSTREAM_LATENCY = Histogram(
    "meridian_gateway_upstream_seconds",
    "Time until the upstream's response headers arrived",
    ["upstream"],
    buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5),
)


def route_label() -> str:
    """The bounded route name of the current request (never the raw path)."""
    route = g.get("route")
    if route is not None:
        return route.rule.label
    return request.url_rule.rule if request.url_rule else "<unmatched>"


def instrument(app: Flask, service: str = "gateway") -> None:
    """Count and time every request by its routing-table entry or Flask rule."""

    @app.before_request
    def _start_timer():
        g._started = time.perf_counter()

    @app.after_request
    def _observe(response):
        started = g.pop("_started", None)
        if started is not None:
            route = route_label()
            REQUESTS.labels(service, request.method, route, str(response.status_code)).inc()
            LATENCY.labels(service, request.method, route).observe(time.perf_counter() - started)
        return response
