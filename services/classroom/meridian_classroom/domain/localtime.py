"""Wall-clock times in IANA zones: refusing impossible or ambiguous ones, converting to UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


class LocalTimeError(ValueError):
    """A wall-clock time that cannot be turned into one instant without the caller's help."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an already validated IANA name."""
    return ZoneInfo(name)


def _offsets(wall: datetime, tz: ZoneInfo) -> tuple[timedelta, timedelta]:
    return (wall.replace(tzinfo=tz, fold=0).utcoffset(),
            wall.replace(tzinfo=tz, fold=1).utcoffset())


def is_nonexistent(wall: datetime, tz: ZoneInfo) -> bool:
    """True when the clocks skip over `wall` in `tz` (a spring-forward gap)."""
    round_trip = wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return round_trip != wall.replace(tzinfo=None, fold=0)


def is_ambiguous(wall: datetime, tz: ZoneInfo) -> bool:
    """True when `wall` happens twice in `tz` (clocks going back)."""
    first, second = _offsets(wall, tz)
    return first != second and not is_nonexistent(wall, tz)


def _fmt_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def describe_wall(wall: datetime) -> str:
    """`2026-03-29T01:30` — how a wall-clock time is quoted back to users."""
    return wall.replace(tzinfo=None).isoformat(timespec="minutes")


def to_utc(wall: datetime, zone_name: str, fold: int | None = None) -> datetime:
    """The UTC instant of `wall` in `zone_name`; LocalTimeError for gaps and unresolved folds."""
    if not EARLIEST_YEAR <= wall.year <= LATEST_YEAR:
        raise LocalTimeError("out_of_range",
                             f"{describe_wall(wall)} is outside {EARLIEST_YEAR}-{LATEST_YEAR}.")
    tz = zone(zone_name)
    wall = wall.replace(tzinfo=None, fold=0)
    if is_nonexistent(wall, tz):
        before, after = _offsets(wall, tz)
        jump = int(abs(after - before).total_seconds() // 60)
        raise LocalTimeError(
            "nonexistent",
            f"{describe_wall(wall)} does not exist in {zone_name}: the clocks jump forward "
            f"{jump} minutes around then (UTC{_fmt_offset(before)} → UTC{_fmt_offset(after)}). "
            "Choose a time outside the gap.")
    if is_ambiguous(wall, tz):
        first, second = _offsets(wall, tz)
        if fold not in (0, 1):
            raise LocalTimeError(
                "ambiguous",
                f"{describe_wall(wall)} happens twice in {zone_name} (the clocks go back). "
                f"Send fold 0 for the first (UTC{_fmt_offset(first)}) or fold 1 for the "
                f"second (UTC{_fmt_offset(second)}).")
        return wall.replace(tzinfo=tz, fold=fold).astimezone(UTC)
    return wall.replace(tzinfo=tz).astimezone(UTC)


def in_zone(instant: datetime, zone_name: str) -> datetime:
    """`instant` (aware) as wall-clock time with offset in `zone_name`."""
    aware = instant if instant.tzinfo else instant.replace(tzinfo=UTC)
    return aware.astimezone(zone(zone_name))


def iso_in_zone(instant: datetime, zone_name: str) -> str:
    """RFC 3339 text of `instant` in `zone_name`, e.g. `2026-03-02T22:00:00+08:00`."""
    return in_zone(instant, zone_name).replace(microsecond=0).isoformat()


def wall_clock(instant: datetime, zone_name: str) -> datetime:
    """The naive wall-clock reading of `instant` in `zone_name`."""
    return in_zone(instant, zone_name).replace(tzinfo=None)
