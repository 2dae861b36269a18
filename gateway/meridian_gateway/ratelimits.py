"""Rate limits (Flask-Limiter): per verified user, per address for everyone without a valid
token, and stricter on self-enrollment POSTs.

Counters live in MERIDIAN_RATE_LIMIT_STORAGE (Redis in every real deployment, so all gunicorn
workers and gateway replicas share them). When that storage cannot be reached the gateway keeps
serving and counts in each worker's memory until it comes back (logged by Flask-Limiter).
One counter per request (two for an enrollment or bulk POST): each is a storage round trip.
"""

from __future__ import annotations

import logging
import math
import time

from flask import Flask, Response, g, request
from flask_limiter import ApplicationLimit, Limiter, RateLimitExceeded, RequestLimit

from meridian_common.web.errors import problem_response

from .client_ip import client_ip
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
    # Portal pages are not API calls: the portal's own API calls count against each user.
    return request.path in _UNLIMITED_PATHS or request.blueprint == "portal"


def _too_many(limit: RequestLimit) -> Response:
    # reset_at asks the storage once more, but only for refused requests.
    window = limit.limit.get_expiry()
    retry_after = min(window, max(1, math.ceil(limit.reset_at - time.time())))
    return problem_response(
        429, f"Too many requests: the limit is {limit.limit}. Try again in {retry_after} s.",
        code="rate_limited", headers={"Retry-After": str(retry_after)})


def _limits(options: RateLimitOptions) -> list[ApplicationLimit]:
    def per_caller() -> str:
        return options.per_user if g.get("principal") is not None else options.per_address

    return [
        ApplicationLimit(per_caller, key_function=caller_key, scope="caller"),
        ApplicationLimit(options.enrollment, key_function=caller_key, scope="enrollment",
                         exempt_when=lambda: not is_enrollment_post()),
        ApplicationLimit(options.bulk, key_function=caller_key, scope="bulk",
                         exempt_when=lambda: not is_bulk_post()),
    ]


def install_rate_limits(app: Flask, options: RateLimitOptions) -> Limiter | None:
    """Check every request's limits in a before_request hook registered now (so it runs after
    the hooks registered earlier, which identify the caller)."""
    if not options.enabled:
        return None
    limiter = Limiter(
        caller_key, application_limits=_limits(options), strategy=options.strategy,
        storage_uri=options.storage_uri, storage_options=options.storage_options,
        key_prefix=options.key_prefix, swallow_errors=True, in_memory_fallback_enabled=True,
        headers_enabled=False, on_breach=_too_many,
    )
    limiter.request_filter(_unlimited)
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, lambda exc: exc.get_response())
    log.info("rate limits: user %s, address %s, enrollment %s, bulk %s (storage %s)",
             options.per_user or "none", options.per_address or "none",
             options.enrollment or "none", options.bulk or "none",
             options.storage_uri.split("@")[-1])
    return limiter
