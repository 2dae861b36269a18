"""The navigation's "Invitations" link: shown while the user has open invitations to teach."""

from __future__ import annotations

import logging
import time

from flask import Flask, current_app, g, request, session

from .identity import current_user, token

log = logging.getLogger(__name__)
PATH = "/api/v1/me/faculty-invitations?per_page=1"
SESSION_KEY = "invitations_seen"
# Invitations are rare and change slowly: ask the catalog at most once a minute per user.
FRESH_SECONDS = 60
WAIT_SECONDS = 3.0
_NO_HEADER = frozenset({"static", "health.healthz", "health.readyz",
                        "courses.enrollment_status", "notifications.unread"})


def open_count(body) -> int | None:
    """The number of open invitations from a page of them (`total`, else its items)."""
    if not isinstance(body, dict):
        return None
    total = body.get("total")
    if isinstance(total, int) and not isinstance(total, bool) and total >= 0:
        return total
    items = body.get("items")
    return len(items) if isinstance(items, list) else None


def forget() -> None:
    """Ask again on the next page (after the user answered an invitation)."""
    session.pop(SESSION_KEY, None)


def _start() -> None:
    if request.method != "GET" or request.endpoint in _NO_HEADER or current_user() is None:
        return
    seen = session.get(SESSION_KEY)
    if isinstance(seen, dict) and time.time() - seen.get("at", 0) < FRESH_SECONDS:
        g.invitations = seen.get("count")
        return
    g.invitations_future = current_app.extensions["meridian.api"].submit(PATH, token=token())


def _count() -> int | None:
    if "invitations" in g:
        return g.invitations
    future = g.pop("invitations_future", None)
    count = None
    if future is not None:
        try:
            answer = future.result(timeout=WAIT_SECONDS)
            count = open_count(answer.body) if answer.ok else None
        except Exception as exc:
            # A slow or failing catalog only hides the link.
            log.info("faculty invitations unavailable: %r", exc)
        if count is not None:
            session[SESSION_KEY] = {"count": count, "at": time.time()}
    g.invitations = count
    return count


def install(app: Flask) -> None:
    """Start the look-up before each page's view runs; templates ask `open_invitations()`."""
    app.before_request(_start)
    app.context_processor(lambda: {"open_invitations": _count})
