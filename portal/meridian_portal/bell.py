"""The header's notification bell: the unread count, fetched while the page makes its own calls."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, request

from .identity import current_user, token

log = logging.getLogger(__name__)
UNREAD_PATH = "/api/v1/me/notifications?unread=true&per_page=1"
# Requests that render no header: probes, assets, JSON polls, form posts (they redirect).
# The bell is secondary: once the page is ready, wait at most this long for the count, then
# render without the bell rather than hold the whole page for a slow notifications service.
WAIT_SECONDS = 3.0
_NO_HEADER = frozenset({"static", "health.healthz", "health.readyz",
                        "courses.enrollment_status", "notifications.unread"})


def unread_count(body) -> int | None:
    """The unread total from an inbox answer (`unread_count`, else `total` of `?unread=true`)."""
    if not isinstance(body, dict):
        return None
    for key in ("unread_count", "total"):
        value = body.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
    items = body.get("items")
    return len(items) if isinstance(items, list) else None


def _start() -> None:
    if request.method != "GET" or request.endpoint in _NO_HEADER or current_user() is None:
        return
    g.bell = current_app.extensions["meridian.api"].submit(UNREAD_PATH, token=token())


def _wait() -> int | None:
    future = g.pop("bell", None)
    if future is None:
        return None
    try:
        answer = future.result(timeout=WAIT_SECONDS)
    except Exception as exc:
        # Any failure (service down, expired token, timeout) only hides the bell.
        log.info("notification bell unavailable: %r", exc)
        return None
    return unread_count(answer.body) if answer.ok else None


def _count() -> int | None:
    if "bell_count" not in g:
        g.bell_count = _wait()
    return g.bell_count


def install(app: Flask) -> None:
    """Start the count before each page's view runs; templates ask `unread_notifications()`."""
    app.before_request(_start)
    app.context_processor(lambda: {"unread_notifications": _count})
