"""Fair hours: rank daily start times by how many people are inside their own local hours.

Participants are grouped by time zone first, so the work grows with zones x days x
candidates (26 x 28 x 96), not with people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from .localtime import LocalTimeError, to_utc, zone

DAY_MINUTES = 24 * 60


@dataclass(frozen=True)
class SlotQuery:
    """What to rank: a duration, the days it must work on, and acceptable local hours."""

    anchor_zone: str
    days: tuple[date, ...]
    duration_minutes: int
    earliest: int
    latest: int
    step_minutes: int = 30


@dataclass
class ZoneFit:
    """How one time zone's participants experience a candidate over the whole range."""

    zone: str
    participants: int
    inside_days: int
    first_start: datetime
    first_end: datetime
    local_times: list[str] = field(default_factory=list)

    def inside_every_day(self, days: int) -> bool:
        """Inside acceptable hours on each day of the range."""
        return self.inside_days == days


@dataclass
class Candidate:
    """A daily start time in the anchor zone and how well it fits everyone."""

    wall_time: time
    first_start: datetime
    covered: int
    participant_days: int
    zones: list[ZoneFit]


def parse_hhmm(text: str) -> int:
    """Minutes after midnight for `HH:MM` (24:00 allowed as the end of the day)."""
    hours, _, minutes = text.partition(":")
    value = int(hours) * 60 + int(minutes)
    if not (len(hours) == 2 and len(minutes) == 2 and 0 <= int(minutes) < 60
            and 0 <= value <= DAY_MINUTES):
        raise ValueError(f"'{text}' is not a time of day HH:MM")
    return value


def _inside(start: datetime, end: datetime, earliest: int, latest: int) -> bool:
    start_minute = start.hour * 60 + start.minute
    end_minute = end.hour * 60 + end.minute + DAY_MINUTES * (end.date() - start.date()).days
    return earliest <= start_minute and end_minute <= latest


def _instants(query: SlotQuery, wall_time: time) -> list[datetime] | None:
    instants = []
    for day in query.days:
        try:
            # Ambiguous times take their first occurrence, as a scheduler would by default.
            instants.append(to_utc(datetime.combine(day, wall_time), query.anchor_zone, 0))
        except LocalTimeError:
            return None  # the time does not exist on some day: not a usable daily slot
    return instants


def _fit(query: SlotQuery, zone_name: str, people: int, instants: list[datetime]) -> ZoneFit:
    tz, length = zone(zone_name), timedelta(minutes=query.duration_minutes)
    inside_days, seen = 0, []
    first_start = first_end = None
    for instant in instants:
        start, end = instant.astimezone(tz), (instant + length).astimezone(tz)
        if first_start is None:
            first_start, first_end = start, end
        label = start.strftime("%H:%M")
        if label not in seen:
            seen.append(label)
        inside_days += _inside(start, end, query.earliest, query.latest)
    return ZoneFit(zone=zone_name, participants=people, inside_days=inside_days,
                   first_start=first_start, first_end=first_end, local_times=sorted(seen))


def evaluate(query: SlotQuery, wall_time: time, groups: dict[str, int]) -> Candidate | None:
    """One candidate start time against every zone group (None if it falls in a DST gap)."""
    instants = _instants(query, wall_time)
    if instants is None:
        return None
    days = len(query.days)
    fits = [_fit(query, name, people, instants) for name, people in sorted(groups.items())]
    return Candidate(wall_time=wall_time, first_start=instants[0].astimezone(UTC),
                     covered=sum(f.participants for f in fits if f.inside_every_day(days)),
                     participant_days=sum(f.participants * f.inside_days for f in fits),
                     zones=fits)


def candidate_times(step_minutes: int) -> list[time]:
    """Every start time of the day at `step_minutes` intervals."""
    return [time(minute // 60, minute % 60) for minute in range(0, DAY_MINUTES, step_minutes)]


def rank(query: SlotQuery, groups: dict[str, int]) -> list[Candidate]:
    """All usable candidates, best first: everyone-inside count, then partial days, then time."""
    candidates = [c for c in (evaluate(query, t, groups) for t in candidate_times(
        query.step_minutes)) if c is not None]
    candidates.sort(key=lambda c: (-c.covered, -c.participant_days, c.wall_time))
    return candidates
