"""Catalog queries that read the seat ledger (the enrollment read model)."""

from __future__ import annotations

from collections import Counter

from .models import SeatLedgerEntry


def seat_counts(offering_ids: list[str]) -> dict[str, Counter]:
    """Per offering, how many enrollments are in each status (from enrollment events)."""
    counts: dict[str, Counter] = {oid: Counter() for oid in offering_ids}
    if not offering_ids:
        return counts
    cursor = SeatLedgerEntry._get_collection().find(
        {"offering_id": {"$in": offering_ids}}, {"offering_id": 1, "status": 1})
    for row in cursor:
        counts[row["offering_id"]][row["status"]] += 1
    return counts
