"""Double bookings: an instructor in two places at once, or a cohort in two sessions."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Booking:
    """A session as the conflict rules see it (existing or proposed)."""

    ref: str
    offering_id: str
    start: datetime
    end: datetime
    instructors: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Conflict:
    """A proposed booking clashing with another one, and why."""

    proposed: Booking
    existing: Booking
    cohort: bool
    instructors: tuple[str, ...]

    @property
    def reasons(self) -> list[str]:
        """`cohort` and/or `instructor`, the kinds of double booking involved."""
        return (["cohort"] if self.cohort else []) + (["instructor"] if self.instructors else [])


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals overlap: a session ending at 10:00 and one starting then do not."""
    return a_start < b_end and b_start < a_end


def _clash(proposed: Booking, other: Booking) -> Conflict | None:
    if not overlaps(proposed.start, proposed.end, other.start, other.end):
        return None
    cohort = proposed.offering_id == other.offering_id
    shared = tuple(sorted(proposed.instructors & other.instructors))
    if not cohort and not shared:
        return None
    return Conflict(proposed=proposed, existing=other, cohort=cohort, instructors=shared)


def find_conflicts(proposed: list[Booking], existing: list[Booking]) -> list[Conflict]:
    """Every clash of a proposed booking with an existing one or with an earlier proposed one."""
    ordered = sorted(existing, key=lambda b: b.start)
    starts = [b.start for b in ordered]
    longest = max((b.end - b.start for b in ordered), default=None)
    conflicts: list[Conflict] = []
    for position, booking in enumerate(proposed):
        if longest is not None:
            # Only bookings starting after (start - longest duration) can still be running.
            first = bisect_left(starts, booking.start - longest)
            last = bisect_left(starts, booking.end)
            for other in ordered[first:last]:
                clash = _clash(booking, other)
                if clash:
                    conflicts.append(clash)
        for earlier in proposed[:position]:
            clash = _clash(booking, earlier)
            if clash:
                conflicts.append(clash)
    return conflicts
