"""Fair hours: rank daily start times by how many people are inside their own local hours.

Participants are grouped by time zone first, so the work grows with zones x days x
candidates (26 x 28 x 96), not with people.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from .localtime import LocalTimeError, to_utc
from .offsets import OffsetTimeline, epoch_minutes

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


def _instants(query: SlotQuery, wall_time: time) -> list[datetime] | None:
    instants = []
    for day in query.days:
        try:
            # Ambiguous times take their first occurrence, as a scheduler would by default.
            instants.append(to_utc(datetime.combine(day, wall_time), query.anchor_zone, 0))
        except LocalTimeError:
            return None  # the time does not exist on some day: not a usable daily slot
    return instants


def _fit(query: SlotQuery, zone_name: str, people: int, timeline: OffsetTimeline,
         instants: list[datetime], minutes: list[int]) -> ZoneFit:
    length, inside_days, starts = query.duration_minutes, 0, set()
    if timeline.changes:
        samples = [(minute, 1) for minute in minutes]
    else:
        # A constant offset: days whose UTC time of day is the same give the same answer.
        by_time = Counter(minute % DAY_MINUTES for minute in minutes)
        first_of = {minute % DAY_MINUTES: minute for minute in reversed(minutes)}
        samples = [(first_of[key], count) for key, count in by_time.items()]
    for minute, count in samples:
        local_start = minute + timeline.offset(minute)
        start_of_day = local_start % DAY_MINUTES
        local_end = minute + length + timeline.offset(minute + length)
        # The end counts from the local midnight the session starts after.
        end_of_day = local_end - (local_start - start_of_day)
        starts.add(start_of_day)
        if query.earliest <= start_of_day and end_of_day <= query.latest:
            inside_days += count
    first = instants[0]
    return ZoneFit(zone=zone_name, participants=people, inside_days=inside_days,
                   first_start=first.astimezone(timeline.tz),
                   first_end=(first + timedelta(minutes=length)).astimezone(timeline.tz),
                   local_times=[f"{m // 60:02d}:{m % 60:02d}" for m in sorted(starts)])


def timelines(query: SlotQuery, zones: list[str]) -> dict[str, OffsetTimeline]:
    """Each zone's offsets over the query's days (with a day of margin on both sides)."""
    start = datetime.combine(query.days[0], time(), UTC) - timedelta(days=2)
    end = datetime.combine(query.days[-1], time(), UTC) + timedelta(days=3)
    return {name: OffsetTimeline(name, start, end) for name in zones}


def evaluate(query: SlotQuery, wall_time: time, groups: dict[str, int],
             lines: dict[str, OffsetTimeline] | None = None) -> Candidate | None:
    """One candidate start time against every zone group (None if it falls in a DST gap)."""
    instants = _instants(query, wall_time)
    if instants is None:
        return None
    lines = lines or timelines(query, sorted(groups))
    minutes = [epoch_minutes(instant) for instant in instants]
    days = len(query.days)
    fits = [_fit(query, name, people, lines[name], instants, minutes)
            for name, people in sorted(groups.items())]
    return Candidate(wall_time=wall_time, first_start=instants[0].astimezone(UTC),
                     covered=sum(f.participants for f in fits if f.inside_every_day(days)),
                     participant_days=sum(f.participants * f.inside_days for f in fits),
                     zones=fits)


def candidate_times(step_minutes: int) -> list[time]:
    """Every start time of the day at `step_minutes` intervals."""
    return [time(minute // 60, minute % 60) for minute in range(0, DAY_MINUTES, step_minutes)]


def rank(query: SlotQuery, groups: dict[str, int]) -> list[Candidate]:
    """All usable candidates, best first: everyone-inside count, then partial days, then time."""
    lines = timelines(query, sorted(groups))
    candidates = [c for c in (evaluate(query, t, groups, lines) for t in candidate_times(
        query.step_minutes)) if c is not None]
    candidates.sort(key=lambda c: (-c.covered, -c.participant_days, c.wall_time))
    return candidates
