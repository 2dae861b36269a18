"""When a live session can be joined: from 15 minutes before its start until its end."""

from __future__ import annotations

from datetime import datetime, timedelta

JOIN_OPENS_BEFORE = timedelta(minutes=15)


def join_state(now: datetime, start: datetime, end: datetime, status: str) -> str:
    """`open`, `too_early`, `ended` or `cancelled`."""
    if status == "cancelled":
        return "cancelled"
    if now < start - JOIN_OPENS_BEFORE:
        return "too_early"
    if now >= end:
        return "ended"
    return "open"


def opens_at(start: datetime) -> datetime:
    """The first moment a session can be joined."""
    return start - JOIN_OPENS_BEFORE
