"""Numbered slots claimed by insert: an offering's seats, and a lottery's institution quotas."""

from __future__ import annotations

from meridian_common.events.envelope import utcnow

from ..domain.seats import attempt_order, free_seat_numbers
from ..models import SeatSlot
from .claims import insert_claim, key


def seat_pool(offering_id: str) -> str:
    """The pool of an offering's seats."""
    return key("seats", offering_id)


def quota_pool(offering_id: str, institution_id: str | None) -> str:
    """The pool of one institution's quota places in a lottery offering."""
    return key("quota", offering_id, institution_id)


def _collection():
    return SeatSlot._get_collection()


def taken_numbers(pool: str) -> set[int]:
    """Slot numbers currently held in `pool`."""
    return {row["n"] for row in _collection().find({"pool": pool}, {"n": 1, "_id": 0})}


def has_free(pool: str, size: int) -> bool:
    """Whether a claim in `pool` could succeed right now."""
    return bool(free_seat_numbers(size, taken_numbers(pool)))


def _slot(pool: str, n: int, offering_id: str, enrollment_id: str) -> dict:
    return {"_id": key(pool, n), "pool": pool, "n": n, "offering_id": offering_id,
            "enrollment_id": enrollment_id, "created_at": utcnow()}


def claim_among(pool: str, free: list[int], offering_id: str, enrollment_id: str) -> int | None:
    """Claim one of the `free` numbers (read once by the caller); None when all were taken."""
    for n in attempt_order(free):
        if insert_claim(_collection(), _slot(pool, n, offering_id, enrollment_id)):
            return n
    return None


def claim(pool: str, size: int, offering_id: str, enrollment_id: str) -> int | None:
    """Claim a free slot numbered 1..size for `enrollment_id`; None when the pool is full."""
    return claim_among(pool, free_seat_numbers(size, taken_numbers(pool)), offering_id,
                       enrollment_id)


def release(pool: str, enrollment_id: str) -> None:
    """Free the slots `enrollment_id` holds in `pool`."""
    _collection().delete_many({"pool": pool, "enrollment_id": enrollment_id})


def release_all(enrollment_id: str) -> None:
    """Free every slot (seat and quota) `enrollment_id` holds."""
    _collection().delete_many({"enrollment_id": enrollment_id})


def holds_seat(offering_id: str, enrollment_id: str) -> bool:
    """Whether `enrollment_id` holds a seat of its offering."""
    return _collection().count_documents(
        {"pool": seat_pool(offering_id), "enrollment_id": enrollment_id}, limit=1) > 0


def relocate_above(pool: str, size: int, offering_id: str) -> int:
    """Move slots numbered above `size` (after a capacity cut) to free lower numbers."""
    moved = 0
    for row in list(_collection().find({"pool": pool, "n": {"$gt": size}})):
        taken = taken_numbers(pool)
        for n in [n for n in range(1, size + 1) if n not in taken]:
            if insert_claim(_collection(), _slot(pool, n, offering_id, row["enrollment_id"])):
                _collection().delete_one({"_id": row["_id"]})
                moved += 1
                break
    return moved
