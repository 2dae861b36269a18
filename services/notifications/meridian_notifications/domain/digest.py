"""The daily digest: when it goes out (a fixed local hour in the reader's zone) and its key."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from .timefmt import zone_of

# Digests go out at 07:00 on the reader's own clock: before a working day, in every zone.
DIGEST_LOCAL_HOUR = 7


def next_digest_at(now: datetime, zone: str, hour: int = DIGEST_LOCAL_HOUR) -> datetime:
    """The first `hour`:00 in `zone` strictly after `now`, as a UTC instant (DST-proof)."""
    tz = zone_of(zone)
    local = now.astimezone(tz)
    day = local.date()
    for _ in range(3):
        wall = datetime.combine(day, time(hour), tzinfo=tz)
        # A wall time inside a spring-forward gap does not exist: round trip through UTC
        # moves it to the first real instant after the gap.
        instant = wall.astimezone(UTC).astimezone(tz).astimezone(UTC)
        if instant > now:
            return instant
        day += timedelta(days=1)
    raise AssertionError("unreachable: a day always has the hour")


def digest_source(recipient: str, slot: datetime) -> str:
    """The key source of one recipient's digest for one slot (so it is planned once)."""
    return f"digest:{recipient}:{slot.astimezone(UTC).isoformat()}"
