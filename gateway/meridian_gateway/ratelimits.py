"""Rate limits: per verified user, per address for everyone without a valid token, and
stricter on self-enrollment and bulk POSTs.

Counters live in MERIDIAN_RATE_LIMIT_STORAGE (Redis in every real deployment, so all gunicorn
workers and gateway replicas share them); see counters.py for what happens when it is down.
The limits are parsed once at start and checked by one before_request hook that calls the
`limits` library directly: Flask-Limiter's per-request resolution of its limit tree (parsing
the limit strings again, building runtime limits, filtering and sorting them) cost more than
the Redis round trips themselves (decision 0012). Each limit item is one storage round trip.
"""

from __future__ import annotations

import logging
import math
import time

from flask import Flask, g, request
from limits import RateLimitItem, parse_many

from meridian_common.web.errors import ApiError

from .client_ip import client_ip
from .counters import Counters
from .paths import PathRule
from .ratelimit_options import RateLimitOptions

log = logging.getLogger(__name__)

# Probes and scrapes must never be refused: a rate-limited /readyz takes a healthy pod out.
_UNLIMITED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# Self-enrollment; bulk rostering has a limit of its own, counted per call (each call is a job
# of up to 1000 enrollments the enrollment worker runs).
_ENROLLMENT_POST = PathRule("/api/v1/offerings/{id}/enrollments")
_BULK_POST = PathRule("/api/v1/offerings/{id}/enrollments/bulk")


def caller_key() -> str:
    """The verified user, or the client's address for requests without a valid token."""
    principal = g.get("principal")
    if principal is not None:
        return f"user:{principal.user_id}"
    return f"address:{client_ip()}"


def is_enrollment_post() -> bool:
    """True for the registration-day hot spot: creating enrollments."""
    return request.method == "POST" and _ENROLLMENT_POST.matches(request.path)


def is_bulk_post() -> bool:
    """True for a bulk enrollment call (a job for the enrollment worker)."""
    return request.method == "POST" and _BULK_POST.matches(request.path)


def _unlimited() -> bool:
    # Unrouted requests are Flask's 404/405; portal pages are not API calls (the portal's own
    # API calls count against each user).
    return request.endpoint is None or request.path in _UNLIMITED_PATHS \
        or request.blueprint == "portal"


def _items(limit: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(limit)) if limit else ()


def _too_many(counters: Counters, item: RateLimitItem, identifiers: tuple[str, ...]) -> ApiError:
    # reset_at asks the storage once more, but only for refused requests.
    window = item.get_expiry()
    reset_at = counters.reset_at(item, *identifiers)
    retry_after = min(window, max(1, math.ceil(reset_at - time.time())))
    return ApiError(429, f"Too many requests: the limit is {item}. Try again in {retry_after} s.",
                    code="rate_limited", headers={"Retry-After": str(retry_after)})


class RateLimits:
    """The gateway's limits, checked against `counters` for the current request."""

    def __init__(self, options: RateLimitOptions, counters: Counters):
        self._counters = counters
        self._prefix = options.key_prefix
        self._per_user = _items(options.per_user)
        self._per_address = _items(options.per_address)
        self._enrollment = _items(options.enrollment)
        self._bulk = _items(options.bulk)

    def _applicable(self) -> list[tuple[RateLimitItem, str]]:
        """(item, scope) pairs for this request: the caller's, and a POST's own."""
        caller = self._per_user if g.get("principal") is not None else self._per_address
        applicable = [(item, "caller") for item in caller]
        if request.method == "POST":
            if self._enrollment and is_enrollment_post():
                applicable += [(item, "enrollment") for item in self._enrollment]
            if self._bulk and is_bulk_post():
                applicable += [(item, "bulk") for item in self._bulk]
        return applicable

    def check(self) -> None:
        """before_request: count the request against each of its limits; 429 at the first
        one it exceeds (the ones before it have counted it)."""
        if _unlimited():
            return
        key = caller_key()
        for item, scope in self._applicable():
            identifiers = (self._prefix, key, scope) if self._prefix else (key, scope)
            if not self._counters.hit(item, *identifiers):
                log.info("ratelimit %s (%s) exceeded: %s", item, key, scope)
                raise _too_many(self._counters, item, identifiers)


def install_rate_limits(app: Flask, options: RateLimitOptions) -> RateLimits | None:
    """Check every request's limits in a before_request hook registered now (so it runs after
    the hooks registered earlier, which identify the caller)."""
    if not options.enabled:
        return None
    counters = Counters(options.storage_uri, options.storage_options, options.strategy)
    limits = RateLimits(options, counters)
    app.before_request(limits.check)
    log.info("rate limits: user %s, address %s, enrollment %s, bulk %s (storage %s)",
             options.per_user or "none", options.per_address or "none",
             options.enrollment or "none", options.bulk or "none",
             options.storage_uri.split("@")[-1])
    return limits
