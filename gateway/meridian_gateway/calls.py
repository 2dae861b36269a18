"""One upstream call: the circuit breaker's say, then the request with safe retries."""

from __future__ import annotations

import time

import requests
import urllib3

from .upstream import Upstreams
from .upstream_http import UpstreamResponse

# Safe methods change nothing, so a retry is harmless even if the first attempt arrived.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# PUT and DELETE are idempotent here (PUT replaces the meeting provider; DELETE cancels,
# withdraws or revokes, and repeating it changes nothing more), but a second answer could
# differ from the first, so they are retried only when the request certainly never left.
IDEMPOTENT_METHODS = frozenset({"PUT", "DELETE"})
# Tiny pauses: enough to ride over a service restarting or a stale pooled connection,
# never long enough to hold a worker's thread noticeably.
RETRY_DELAYS = (0.02, 0.1)


def never_sent(exc: BaseException) -> bool:
    """True when the connection could not be opened, so the upstream saw nothing."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


def retryable(method: str, exc: BaseException) -> bool:
    """Whether a failed attempt of `method` may be sent again (never POST or PATCH)."""
    # Timeouts are not retried: the service may be working on it, and a retry doubles its load.
    if not isinstance(exc, requests.ConnectionError) or isinstance(exc, requests.Timeout):
        return False
    if method in SAFE_METHODS:
        return True
    return method in IDEMPOTENT_METHODS and never_sent(exc)


def send_with_retries(upstreams: Upstreams, service: str, method: str, target: str, *,
                      headers: dict[str, str], body: bytes | None) -> UpstreamResponse:
    """Send once, and again after a short pause while the failure allows a retry."""
    attempt = 0
    while True:
        try:
            return upstreams.send(service, method, target, headers=headers, body=body)
        except requests.RequestException as exc:
            if attempt == len(RETRY_DELAYS) or not retryable(method, exc):
                raise
        time.sleep(RETRY_DELAYS[attempt])
        attempt += 1


def unreachable(exc: BaseException) -> bool:
    """True when the failure says the service cannot be reached at all (what the breaker
    counts); a read timeout only says this one request was slow."""
    return isinstance(exc, requests.ConnectionError)


def call(upstreams: Upstreams, service: str, method: str, target: str, *,
         headers: dict[str, str], body: bytes | None) -> UpstreamResponse:
    """The upstream's response; raises CircuitOpen or one of UPSTREAM_ERRORS."""
    breaker = upstreams.breaker(service)
    breaker.before_call()
    try:
        response = send_with_retries(upstreams, service, method, target, headers=headers,
                                     body=body)
    except BaseException as exc:
        # One slow route (a big report, a cold cache) must not shut the whole service off:
        # its requests already hold at most the in-flight cap of threads.
        if unreachable(exc):
            breaker.record_failure()
        else:
            breaker.abandon()
        raise
    breaker.record_success()
    return response
