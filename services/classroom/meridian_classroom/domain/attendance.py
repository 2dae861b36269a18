"""Who was in a live session and for how long, from joins and (where reported) departures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Visit:
    """One join, with its departure when the meeting provider reported it."""

    user_id: str
    role: str
    joined_at: datetime
    left_at: datetime | None


@dataclass(frozen=True)
class OwnVisit:
    """One of a person's own joins: the session, when they came and, if reported, left."""

    id: str
    session_id: str
    offering_id: str
    joined_at: datetime
    left_at: datetime | None

    @property
    def duration_minutes(self) -> int | None:
        """Whole minutes present, or None while no departure is known."""
        if self.left_at is None:
            return None
        return max(0, int((self.left_at - self.joined_at).total_seconds() // 60))


def _merged_seconds(intervals: list[tuple[datetime, datetime]]) -> int:
    # Joining twice in two tabs must not count the overlap twice.
    total, current_start, current_end = 0.0, None, None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += (current_end - current_start).total_seconds()
    return int(total)


def summarise(visits: list[Visit]) -> list[dict]:
    """Per person: role, first join, last departure, join count and seconds present."""
    people: dict[str, list[Visit]] = {}
    for visit in visits:
        people.setdefault(visit.user_id, []).append(visit)
    summary = []
    for user_id, own in sorted(people.items()):
        closed = [(v.joined_at, v.left_at) for v in own if v.left_at and v.left_at > v.joined_at]
        lefts = [v.left_at for v in own if v.left_at]
        summary.append({
            "user_id": user_id, "role": own[0].role, "joins": len(own),
            "first_joined_at": min(v.joined_at for v in own),
            "last_left_at": max(lefts) if lefts else None,
            "duration_seconds": _merged_seconds(closed) if closed else None,
            "visits": [{"joined_at": v.joined_at, "left_at": v.left_at}
                       for v in sorted(own, key=lambda v: v.joined_at)],
        })
    return summary
