"""When an offering takes enrollments: open status and the enrollment window."""

from __future__ import annotations

from datetime import UTC, datetime

from .refusals import CONFLICT, UNPROCESSABLE, Refusal


def _iso(value: datetime) -> str:
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def window_refusal(status: str, opens_at: datetime, closes_at: datetime,
                   now: datetime) -> Refusal | None:
    """Why an offering takes no enrollment at `now`, or None when it does."""
    if status != "open":
        return Refusal(UNPROCESSABLE, "offering_not_open",
                       f"The offering is {status}; it takes no enrollments.")
    if now < _utc(opens_at):
        return Refusal(UNPROCESSABLE, "enrollment_not_open",
                       f"Enrollment opens at {_iso(opens_at)}.")
    if now >= _utc(closes_at):
        return Refusal(UNPROCESSABLE, "enrollment_closed",
                       f"Enrollment closed at {_iso(closes_at)}.")
    return None


def draw_refusal(status: str, selection: str, closes_at: datetime,
                 now: datetime) -> Refusal | None:
    """Why a lottery cannot be drawn at `now`, or None when it can."""
    if selection != "lottery":
        return Refusal(CONFLICT, "not_a_lottery",
                       "This offering is first come, first served; it has no draw.")
    if status != "open":
        return Refusal(CONFLICT, "offering_not_open", f"The offering is {status}.")
    if now < _utc(closes_at):
        return Refusal(CONFLICT, "enrollment_window_open",
                       f"The draw runs after enrollment closes at {_iso(closes_at)}.")
    return None
