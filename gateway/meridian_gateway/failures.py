"""What the client hears when an upstream can't be reached, is too slow, or breaks off."""

from __future__ import annotations

import logging

import requests
import urllib3
from flask import Response

from meridian_common.web.errors import problem_response

from .breaker import CircuitOpen
from .metrics import UPSTREAM_FAILURES
from .upstream import UpstreamSaturated

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


def _classify(exc: BaseException) -> tuple[int, str, str]:
    # A connect failure means the request never arrived, so a retry is safe. After a read
    # timeout the upstream may have acted on it, hence the distinct 504.
    if isinstance(exc, UpstreamSaturated):
        return 503, "upstream_saturated", "is busy"
    if isinstance(exc, CircuitOpen):
        return 503, "upstream_circuit_open", "failed repeatedly and is given a rest"
    if isinstance(exc, requests.ConnectTimeout):
        return 503, "upstream_unavailable", "is unavailable"
    if isinstance(exc, requests.ReadTimeout | urllib3.exceptions.ReadTimeoutError):
        return 504, "upstream_timeout", "did not answer in time"
    if isinstance(exc, requests.ConnectionError):
        return 503, "upstream_unavailable", "is unavailable"
    return 502, "upstream_broken", "sent a response the gateway could not read"


def upstream_problem(service: str, exc: BaseException) -> Response:
    """A problem+json answer (with Retry-After) for a failed call to `service`."""
    status, code, what = _classify(exc)
    UPSTREAM_FAILURES.labels(service, code).inc()
    if not isinstance(exc, CircuitOpen):
        # While a circuit is open every refusal would log: its transitions are logged instead.
        log.warning("upstream %s failed: %s (%s)", service, code, type(exc).__name__)
    retry_after = getattr(exc, "retry_after", RETRY_AFTER_SECONDS)
    return problem_response(
        status, f"The {service} service {what}; try again shortly.",
        code=code, headers={"Retry-After": str(retry_after)},
    )
