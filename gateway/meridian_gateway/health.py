"""`/healthz`, `/readyz` (with every upstream's readiness) and `/metrics`."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests
from flask import Blueprint, Response, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from meridian_common.web.health import metrics_registry

from .upstream import Upstreams

# Worst case about 1 s, inside the 2 s of `meridian wait-ready` and the 3 s of the k8s probe.
READY_TIMEOUT = (0.5, 1.0)


def upstream_status(upstreams: Upstreams, name: str) -> str:
    """`ok`, or why the service's own /readyz did not say so."""
    try:
        response = upstreams.get(name, "/readyz", timeout=READY_TIMEOUT)
    except requests.Timeout:
        return "unavailable: timeout"
    except requests.RequestException:
        return "unavailable: unreachable"
    return "ok" if response.status_code == 200 else f"unavailable: status {response.status_code}"


def build_blueprint(upstreams: Upstreams, required: tuple[str, ...]) -> Blueprint:
    """Health endpoints; /readyz fails only when a `required` upstream is not ready."""
    bp = Blueprint("health", __name__)
    names = list(upstreams.urls)

    @bp.get("/healthz")
    def healthz():
        """Alive: answers without asking anyone else."""
        return jsonify({"status": "ok", "service": "gateway"})

    @bp.get("/readyz")
    def readyz():
        """Every upstream's /readyz, checked in parallel; 503 if a required one fails."""
        with ThreadPoolExecutor(max_workers=max(1, len(names))) as pool:
            results = dict(zip(names, pool.map(lambda n: upstream_status(upstreams, n), names),
                               strict=True))
        ready = all(results[name] == "ok" for name in required)
        response = jsonify({"status": "ready" if ready else "not_ready",
                            "checks": {"gateway": "ok", **results},
                            "required": list(required)})
        response.status_code = 200 if ready else 503
        if not ready:
            response.headers["Retry-After"] = "5"
        return response

    @bp.get("/metrics")
    def metrics():
        """Prometheus text format, aggregated over workers when multiprocess mode is on."""
        return Response(generate_latest(metrics_registry()), mimetype=CONTENT_TYPE_LATEST)

    return bp
