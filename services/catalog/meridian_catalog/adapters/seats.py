"""The seat-count read model on MongoDB: one row per enrollment (newest version wins), and a
tally per offering recounted from those rows after each batch of enrollment events.

FerretDB 1.24 counts by decoding, in Go, every row that matches: counting an offering's rows
on each read cost 8.4 ms per offering with the benchmark's data, and grew with its
enrollments. The catalog consumer, the only writer of both collections, recounts each offering
a batch of events touched once, before it commits the batch; a read is then one lookup by
offering id. A crash before the commit brings the batch back, and with it the recount. On
MongoDB the rows could be counted through the covered (offering_id, status) index instead.
"""

from __future__ import annotations

import time
from collections import Counter

from mongoengine import Document, IntField, StringField

from meridian_common.events.envelope import utcnow
from meridian_common.events.types import ENROLLMENT_STATES
from meridian_common.persistence.readmodels import apply_newest
from meridian_common.persistence.server import find_in

from .documents import SeatLedgerEntry


class SeatTally(Document):
    """An offering's enrollments by status as last counted from its ledger rows: one integer
    field per state, not one embedded document (FerretDB 1.24 kept the old embedded document
    when a `$set` replaced {waitlisted: 2, withdrawn: 1} with {withdrawn: 2, confirmed: 1})."""

    id = StringField(primary_key=True)
    confirmed = IntField(default=0)
    waitlisted = IntField(default=0)
    applied = IntField(default=0)
    withdrawn = IntField(default=0)
    cancelled = IntField(default=0)
    # When it was counted (ns): of two counts that cross during a rebalance, the later wins.
    version = IntField(required=True)
    meta = {"collection": "seat_tallies"}


def count_rows(offering_ids: list[str]) -> dict[str, Counter]:
    """Per offering, its ledger rows by status, counted now (what each read did before)."""
    counts: dict[str, Counter] = {oid: Counter() for oid in offering_ids}
    if not offering_ids:
        return counts
    for row in find_in(SeatLedgerEntry._get_collection(), "offering_id", offering_ids,
                       projection={"_id": 0, "offering_id": 1, "status": 1}):
        counts[row["offering_id"]][row["status"]] += 1
    return counts


class MongoSeatCounts:
    """Rows and tallies written by the catalog consumer alone (one writer: FerretDB's updates
    are not isolated, so a second writer could interleave with the version guard)."""

    def record(self, enrollment_id: str, offering_id: str, status: str, version: int) -> bool:
        """Keep an enrollment's state unless a newer version is stored; True when applied."""
        return apply_newest(SeatLedgerEntry._get_collection(), enrollment_id, version,
                            {"offering_id": offering_id, "status": status,
                             "updated_at": utcnow()})

    def recount(self, offering_ids: list[str]) -> None:
        """Count each offering's rows again and keep the result as its tally."""
        tallies = SeatTally._get_collection()
        for offering_id, counted in count_rows(sorted(set(offering_ids))).items():
            apply_newest(tallies, offering_id, time.time_ns(),
                         {state: counted[state] for state in ENROLLMENT_STATES})

    def counts(self, offering_ids: list[str]) -> dict[str, Counter]:
        """Per offering, how many enrollments are in each status: its tally, or its rows
        counted when it has no tally yet (no enrollment event since tallies exist)."""
        found = {} if not offering_ids else {
            row["_id"]: Counter({state: row[state] for state in ENROLLMENT_STATES
                                 if row.get(state)})
            for row in find_in(SeatTally._get_collection(), "_id", offering_ids)}
        untallied = count_rows([oid for oid in offering_ids if oid not in found])
        return {oid: found[oid] if oid in found else untallied[oid] for oid in offering_ids}
