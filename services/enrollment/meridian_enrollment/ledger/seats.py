"""Numbered places claimed by insert: an offering's seats, and a lottery's institution quotas.

A seat is `{_id: n}` in the offering's `seats` collection with 1 <= n <= capacity, so the
unique `_id` alone bounds the number of confirmed students. Releasing a seat is a delete.
"""

from __future__ import annotations

from meridian_common.events.envelope import utcnow

from ..domain.seats import attempt_order, free_seat_numbers
from .store import insert_claim, key, ledger


def taken_numbers(offering_id: str) -> set[int]:
    """Seat numbers currently held in the offering."""
    return {row["_id"] for row in ledger(offering_id, "seats").find({}, {"_id": 1})}


def has_free(offering_id: str, capacity: int) -> bool:
    """Whether a seat claim could succeed right now."""
    return bool(free_seat_numbers(capacity, taken_numbers(offering_id)))


def claim_among(offering_id: str, free: list[int], enrollment_id: str) -> int | None:
    """Claim one of the `free` seats (read once by the caller); None when all were taken."""
    seats = ledger(offering_id, "seats")
    for n in attempt_order(free):
        if insert_claim(seats, {"_id": n, "offering_id": offering_id,
                                "enrollment_id": enrollment_id, "created_at": utcnow()}):
            return n
    return None


def claim(offering_id: str, capacity: int, enrollment_id: str) -> int | None:
    """Claim a free seat numbered 1..capacity; None when the offering is full."""
    return claim_among(offering_id, free_seat_numbers(capacity, taken_numbers(offering_id)),
                       enrollment_id)


def claim_quota(offering_id: str, institution_id: str, size: int,
                enrollment_id: str) -> int | None:
    """Claim one of an institution's `size` quota places; None when they are all held."""
    quotas = ledger(offering_id, "quotas")
    taken = {row["n"] for row in quotas.find({"institution_id": institution_id}, {"n": 1})}
    for n in attempt_order(free_seat_numbers(size, taken)):
        if insert_claim(quotas, {"_id": key(institution_id, n), "institution_id": institution_id,
                                 "n": n, "offering_id": offering_id,
                                 "enrollment_id": enrollment_id, "created_at": utcnow()}):
            return n
    return None


def release_number(offering_id: str, n: int, enrollment_id: str) -> None:
    """Give back seat `n`, only if `enrollment_id` holds it (undoing one's own claim)."""
    ledger(offering_id, "seats").delete_one({"_id": n, "enrollment_id": enrollment_id})


def release_quota_number(offering_id: str, institution_id: str, n: int,
                         enrollment_id: str) -> None:
    """Give back quota place `n` of an institution, only if `enrollment_id` holds it."""
    ledger(offering_id, "quotas").delete_one({"_id": key(institution_id, n),
                                              "enrollment_id": enrollment_id})


def release_seat(offering_id: str, enrollment_id: str) -> None:
    """Free the seat `enrollment_id` holds."""
    ledger(offering_id, "seats").delete_many({"enrollment_id": enrollment_id})


def release_all(offering_id: str, enrollment_id: str) -> None:
    """Free the seat and quota place `enrollment_id` holds."""
    release_seat(offering_id, enrollment_id)
    ledger(offering_id, "quotas").delete_many({"enrollment_id": enrollment_id})


def relocate_above(offering_id: str, capacity: int) -> int:
    """Move seats numbered above `capacity` (after a capacity cut) to free lower numbers."""
    seats = ledger(offering_id, "seats")
    moved = 0
    for row in list(seats.find({"_id": {"$gt": capacity}})):
        holder = row["enrollment_id"]
        # A relocation interrupted after its insert already gave the holder a lower seat.
        placed = seats.count_documents({"enrollment_id": holder, "_id": {"$lte": capacity}}) > 0
        taken = taken_numbers(offering_id)
        for n in ([] if placed else [n for n in range(1, capacity + 1) if n not in taken]):
            if insert_claim(seats, {**row, "_id": n, "created_at": utcnow()}):
                placed = True
                break
        if placed:
            seats.delete_one({"_id": row["_id"], "enrollment_id": holder})
            moved += 1
    return moved
