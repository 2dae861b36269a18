"""Moving one session, or it and the ones after it, without losing their wall-clock rhythm."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .localtime import LocalTimeError, describe_wall, to_utc
from .recurrence import Occurrence, ScheduleError, check_duration


@dataclass(frozen=True)
class Placement:
    """Where a session currently sits: wall-clock start, zone, fold and length."""

    wall_start: datetime
    zone: str
    fold: int
    duration_minutes: int


def timing_changes(start: datetime | None, zone: str | None, fold: int | None,
                   duration: int | None) -> bool:
    """True when a change touches when a session happens (not just its title or kind)."""
    return any(value is not None for value in (start, zone, fold, duration))


def replan(current: list[Placement], *, start: datetime | None = None, zone: str | None = None,
           fold: int | None = None, duration: int | None = None) -> list[Occurrence]:
    """New times for `current` (the edited session first): each keeps its wall-clock distance."""
    anchor = current[0]
    if zone is not None and zone != anchor.zone and start is None:
        raise ScheduleError({"start": [
            "Give the new local start together with a new timezone; the same wall-clock time "
            "in another zone is a different moment."]})
    if duration is not None:
        check_duration(duration)
    new_anchor = start if start is not None else anchor.wall_start
    keep_fold = start is None and zone is None
    occurrences, problems = [], []
    for index, placement in enumerate(current):
        wall = new_anchor + (placement.wall_start - anchor.wall_start)
        target_zone = zone or placement.zone
        chosen_fold = fold if fold is not None else (placement.fold if keep_fold else None)
        length = duration or placement.duration_minutes
        try:
            begins = to_utc(wall, target_zone, chosen_fold)
        except LocalTimeError as exc:
            label = "" if len(current) == 1 else f"Session on {describe_wall(wall)}: "
            problems.append(label + str(exc))
            continue
        occurrences.append(Occurrence(index=index, wall_start=wall, fold=chosen_fold or 0,
                                      start=begins, end=begins + timedelta(minutes=length)))
    if problems:
        raise ScheduleError({"start": problems})
    return occurrences

