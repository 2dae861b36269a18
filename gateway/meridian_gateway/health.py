"""`/healthz`, `/readyz` (every upstream's readiness) and `/metrics`: common's blueprint."""

from __future__ import annotations

import requests
from flask import Blueprint

from meridian_common.web.health import NotReady, ReadinessCheck, build_health_blueprint

from .upstream import Upstreams

# Worst case about 1 s, inside the 2 s of `meridian wait-ready` and the 3 s of the k8s probe.
READY_TIMEOUT = (0.5, 1.0)


def upstream_check(upstreams: Upstreams, name: str) -> ReadinessCheck:
    """A readiness check that asks the service's own /readyz, briefly."""

    def check() -> None:
        try:
            response = upstreams.get(name, "/readyz", timeout=READY_TIMEOUT)
        except requests.Timeout:
            raise NotReady("timeout") from None
        except requests.RequestException:
            raise NotReady("unreachable") from None
        if response.status_code != 200:
            raise NotReady(f"status {response.status_code}")

    return check


def build_blueprint(upstreams: Upstreams, required: tuple[str, ...]) -> Blueprint:
    """Health endpoints; /readyz fails only when a `required` upstream is not ready."""
    checks: dict[str, ReadinessCheck] = {"gateway": lambda: None}
    checks.update({name: upstream_check(upstreams, name) for name in upstreams.urls})
    return build_health_blueprint(checks, required=tuple(required))
