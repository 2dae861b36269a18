"""Release notes: "a seat of offering O was given back at t", inserted after the seat's delete.

A process that remembers an offering as full (claim_hints.py) may answer "no seat free"
without reading the offering's seats only while no note newer than its last full read exists.
The note is written after the delete and before the releaser promotes the line, so of a
releaser and a newcomer that joined the line meanwhile, at least one sees the other's write:
either the newcomer sees the note (and reads the seats), or the releaser's promotion pass
sees the newcomer's ticket. Notes are inserted only, and purged once no hint can be older.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from meridian_common.events.envelope import utcnow

from .claims import CollectionOf
from .documents import SeatRelease

# Processes' clocks may differ a little: a note counts from this long before a hint's read.
CLOCK_SKEW = timedelta(seconds=2)
# Kept far longer than any hint lives (claim_hints.MAX_AGE).
KEEP = timedelta(minutes=10)


class ReleaseNotes:
    """The `seat_releases` collection."""

    _notes = CollectionOf(SeatRelease)

    def note(self, offering_id: str) -> None:
        """Record that a seat of the offering was just given back."""
        self._notes.insert_one({"offering_id": offering_id, "created_at": utcnow()})

    def since(self, offering_id: str, moment: datetime) -> bool:
        """Whether a seat of the offering may have been given back after `moment`."""
        return self._notes.find_one({"offering_id": offering_id,
                                     "created_at": {"$gte": moment - CLOCK_SKEW}},
                                    {"_id": 1}) is not None

    def purge(self, now: datetime | None = None) -> int:
        """Delete notes no hint can still depend on; returns how many went."""
        cutoff = (now or utcnow()) - KEEP
        return self._notes.delete_many({"created_at": {"$lt": cutoff}}).deleted_count
