"""The seat-count read model on MongoDB: one row per enrollment, newest version wins."""

from __future__ import annotations

from collections import Counter

from meridian_common.events.envelope import utcnow
from meridian_common.persistence.readmodels import apply_newest

from .documents import SeatLedgerEntry


class MongoSeatCounts:
    """Rows written by the catalog consumer alone (one writer: FerretDB's updates are not
    isolated, so a second writer could interleave with the version guard)."""

    def record(self, enrollment_id: str, offering_id: str, status: str, version: int) -> bool:
        """Keep an enrollment's state unless a newer version is stored; True when applied."""
        return apply_newest(SeatLedgerEntry._get_collection(), enrollment_id, version,
                            {"offering_id": offering_id, "status": status,
                             "updated_at": utcnow()})

    def counts(self, offering_ids: list[str]) -> dict[str, Counter]:
        """Per offering, how many enrollments are in each status."""
        counts: dict[str, Counter] = {oid: Counter() for oid in offering_ids}
        if not offering_ids:
            return counts
        cursor = SeatLedgerEntry._get_collection().find(
            {"offering_id": {"$in": offering_ids}}, {"_id": 0, "offering_id": 1, "status": 1})
        for row in cursor:
            counts[row["offering_id"]][row["status"]] += 1
        return counts
