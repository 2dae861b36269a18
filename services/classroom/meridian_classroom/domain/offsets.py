"""A zone's UTC offsets over a bounded period, found once and then looked up cheaply.

Ranking slots asks "what is the offset in zone Z at instant T" tens of thousands of times;
within a few weeks a zone changes offset at most a couple of times, so the changes are found
once (daily scan, refined to the minute by bisection) and each lookup is a bisect over
integers. No zone changes offset twice within one day, so a daily scan misses nothing.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, datetime, timedelta

from .localtime import zone

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def epoch_minutes(instant: datetime) -> int:
    """Whole minutes since 1970-01-01T00:00Z."""
    return int((instant - EPOCH).total_seconds() // 60)


class OffsetTimeline:
    """UTC offsets (in minutes) of one zone between two instants."""

    def __init__(self, zone_name: str, start: datetime, end: datetime):
        self.tz = zone(zone_name)
        self.changes: list[int] = []
        self.offsets: list[int] = [self._offset_at(start)]
        cursor = start
        while cursor < end:
            following = cursor + timedelta(days=1)
            if self._offset_at(following) != self.offsets[-1]:
                change = self._first_minute_of_change(cursor, following)
                self.changes.append(epoch_minutes(change))
                self.offsets.append(self._offset_at(change))
            cursor = following

    def _offset_at(self, instant: datetime) -> int:
        return int(instant.astimezone(self.tz).utcoffset().total_seconds() // 60)

    def _first_minute_of_change(self, before: datetime, after: datetime) -> datetime:
        old = self._offset_at(before)
        while after - before > timedelta(minutes=1):
            middle = before + (after - before) / 2
            middle = middle.replace(second=0, microsecond=0)
            if middle <= before:
                middle = before + timedelta(minutes=1)
            if self._offset_at(middle) == old:
                before = middle
            else:
                after = middle
        return after

    def offset(self, minute: int) -> int:
        """The offset in minutes at epoch minute `minute`."""
        if not self.changes:
            return self.offsets[0]
        return self.offsets[bisect_right(self.changes, minute)]
