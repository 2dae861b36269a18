"""Series of sessions that keep their local wall-clock time, whatever the clocks do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .localtime import LocalTimeError, describe_wall, to_utc

MAX_OCCURRENCES = 52
MIN_DURATION_MINUTES = 5
MAX_DURATION_MINUTES = 12 * 60
STEPS = {"daily": timedelta(days=1), "weekly": timedelta(weeks=1)}


class ScheduleError(ValueError):
    """Input that cannot become sessions; `errors` maps request fields to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


@dataclass(frozen=True)
class Occurrence:
    """One session of a series: where it sits on the wall clock and in UTC."""

    index: int
    wall_start: datetime
    fold: int
    start: datetime
    end: datetime


def check_duration(minutes: int) -> None:
    """Refuse durations that are not positive or absurdly long."""
    if not MIN_DURATION_MINUTES <= minutes <= MAX_DURATION_MINUTES:
        raise ScheduleError({"duration_minutes": [
            f"Must be between {MIN_DURATION_MINUTES} and {MAX_DURATION_MINUTES} minutes "
            f"(12 hours)."]})


def wall_starts(first: datetime, frequency: str | None, count: int) -> list[datetime]:
    """Wall-clock starts of a series: calendar days or weeks added to the local date."""
    if frequency is None:
        return [first]
    if frequency not in STEPS:
        raise ScheduleError({"repeat": {"frequency": ["Use daily or weekly."]}})
    if not 1 <= count <= MAX_OCCURRENCES:
        raise ScheduleError({"repeat": {"count": [
            f"A series has between 1 and {MAX_OCCURRENCES} sessions; create another series "
            "for more."]}})
    return [first + STEPS[frequency] * i for i in range(count)]


def localize_all(walls: list[datetime], zone_name: str, duration_minutes: int,
                 fold: int | None) -> list[Occurrence]:
    """Resolve each wall-clock start in `zone_name`; every unusable one is reported."""
    check_duration(duration_minutes)
    duration = timedelta(minutes=duration_minutes)
    occurrences, problems = [], []
    for index, wall in enumerate(walls):
        try:
            start = to_utc(wall, zone_name, fold)
        except LocalTimeError as exc:
            label = "" if len(walls) == 1 else f"Session {index + 1} ({describe_wall(wall)}): "
            problems.append(label + str(exc))
            continue
        occurrences.append(Occurrence(index=index, wall_start=wall, fold=fold or 0,
                                      start=start, end=start + duration))
    if problems:
        raise ScheduleError({"start": problems})
    return occurrences


def expand(first: datetime, zone_name: str, duration_minutes: int,
           frequency: str | None = None, count: int = 1,
           fold: int | None = None) -> list[Occurrence]:
    """All sessions of a new series, at the same local time on each day or week."""
    return localize_all(wall_starts(first, frequency, count), zone_name, duration_minutes, fold)
