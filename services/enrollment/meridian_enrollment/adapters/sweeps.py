"""Sweeps standing in for what FerretDB lacks: no transactions, no TTL indexes.

Without a transaction, a creation that died between its first claim and its enrollment
insert leaves claims behind; this sweep releases those older than a minute whose enrollment
does not exist (a TTL index could not tell orphans from claims of live enrollments).
"""

from __future__ import annotations

import time
from datetime import datetime

from meridian_common.events.envelope import as_utc, utcnow
from meridian_common.persistence.server import find_in

from .claims import CollectionOf
from .documents import EnrollmentDocument, PlaceClaim, SeatClaim, SweepMark, TicketClaim
from .seat_releases import ReleaseNotes
from .waitlist import MongoWaitlist

ORPHAN_MARK = "orphan_claims"


class MongoSweeps:
    """Claims whose enrollment never committed."""

    _enrollments = CollectionOf(EnrollmentDocument)
    _marks = CollectionOf(SweepMark)
    _waitlist = MongoWaitlist()
    _notes = ReleaseNotes()

    def _existing(self, enrollment_ids: set[str]) -> set[str]:
        return {row["_id"] for row in find_in(self._enrollments, "_id", enrollment_ids,
                                              projection={"_id": 1})}

    def release_orphans(self, older_than: datetime, since: datetime | None) -> set[str]:
        """Release claims created before `older_than` (and from `since`) without an
        enrollment (and purge old release notes); returns the offerings touched."""
        created = {"$lt": older_than, **({"$gte": since} if since else {})}
        candidates = [(document, row) for document in (PlaceClaim, SeatClaim, TicketClaim)
                      for row in document._get_collection().find({"created_at": created})]
        existing = self._existing({row["enrollment_id"] for _, row in candidates})
        touched = set()
        for document, row in candidates:
            if row["enrollment_id"] in existing:
                continue
            if document is TicketClaim:
                released = self._waitlist.remove(row["offering_id"], row["ticket"],
                                                 row["enrollment_id"])
            else:
                released = document._get_collection().delete_one(
                    {"_id": row["_id"]}).deleted_count > 0
            if released:
                if document is SeatClaim:
                    self._notes.note(row["offering_id"])
                touched.add(row["offering_id"])
        self._notes.purge()
        return touched

    def checked_until(self) -> datetime | None:
        """Claims created before this were checked by an earlier sweep (None: never)."""
        row = self._marks.find_one({"_id": ORPHAN_MARK})
        return as_utc(row["until"]) if row else None

    def note_checked(self, until: datetime) -> None:
        """Claims created before `until` have been checked."""
        self._marks.update_one({"_id": ORPHAN_MARK}, {"$set": {"until": until}}, upsert=True)


class SystemClock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        """The current time."""
        return utcnow()

    def sleep(self, seconds: float) -> None:
        """Wait that long."""
        time.sleep(seconds)
