"""The lock that makes one process at a time apply a lottery draw (waitlist order needs it).

An insert-claimed document in the transitions collection; a holder that died is presumed
after APPLY_LOCK_STALE, long enough for the largest draw.
"""

from __future__ import annotations

from datetime import timedelta

from meridian_common.events.envelope import as_utc, utcnow

from ..models import EnrollmentTransition
from .store import insert_claim, key

APPLY_LOCK_STALE = timedelta(minutes=5)


def draw_lock_is_stale(created_at) -> bool:
    """Whether an apply lock is old enough for its holder to be presumed dead."""
    return as_utc(created_at) < utcnow() - APPLY_LOCK_STALE


def take_apply_lock(offering_id: str) -> bool:
    """Become the one process applying the offering's draw (taking over a stale lock)."""
    collection = EnrollmentTransition._get_collection()
    lock = {"_id": key("apply-draw", offering_id), "enrollment_id": offering_id,
            "offering_id": offering_id, "from_version": 0, "action": "apply-draw",
            "created_at": utcnow()}
    if insert_claim(collection, lock):
        return True
    stale = collection.find_one({"_id": lock["_id"]})
    if stale and draw_lock_is_stale(stale["created_at"]):
        collection.delete_one({"_id": lock["_id"], "created_at": stale["created_at"]})
        return insert_claim(collection, lock)
    return False


def release_apply_lock(offering_id: str) -> None:
    """Let go of the apply lock."""
    EnrollmentTransition._get_collection().delete_one({"_id": key("apply-draw", offering_id)})
