"""The gateway's upstream metrics, and request metrics labelled by routing-table entry."""

from __future__ import annotations

from flask import g
from prometheus_client import Counter, Histogram

from meridian_common.web.health import LabelledCache, rule_label

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

upstream_latency = LabelledCache(UPSTREAM_LATENCY)


def route_label() -> str:
    """The bounded route name of the current request (never the raw path)."""
    route = g.get("route")
    if route is not None:
        return route.rule.label
    return rule_label()
