"""Admitting provider webhooks: fresh, and each signed delivery acted on once."""

from __future__ import annotations

from datetime import datetime, timedelta

from .classroom import Classroom

# bbb-webhooks retries for a few minutes; a delivery older than this is a replay, not a retry.
FRESHNESS = timedelta(minutes=10)
FRESH, STALE, REPLAYED = "fresh", "stale", "replayed"


def admit(app: Classroom, signature: str, sent_at: datetime | None) -> str:
    """FRESH the first time a signed delivery arrives in time; STALE or REPLAYED otherwise."""
    now = app.clock.now()
    if sent_at is None or not now - FRESHNESS <= sent_at <= now + FRESHNESS:
        return STALE
    # Receipts older than the window can go: a delivery that old is refused as stale anyway.
    return FRESH if app.receipts.first_time(signature.lower(), now, now - 2 * FRESHNESS) \
        else REPLAYED
