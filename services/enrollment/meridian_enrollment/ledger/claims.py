"""Claim keys, one active enrollment per (offering, student), and one writer per version."""

from __future__ import annotations

import json

from pymongo.errors import DuplicateKeyError

from meridian_common.events.envelope import utcnow

from ..models import ActiveClaim, EnrollmentTransition


def key(*parts: object) -> str:
    """An unambiguous `_id` from parts that may themselves contain any character."""
    return json.dumps(list(parts), separators=(",", ":"), ensure_ascii=False)


def insert_claim(collection, document: dict) -> bool:
    """Insert a claim; False when its `_id` is already held."""
    try:
        collection.insert_one(document)
    except DuplicateKeyError:
        return False
    return True


def take_active(offering_id: str, student_id: str, enrollment_id: str) -> bool:
    """Claim the student's single active place in the offering for `enrollment_id`."""
    return insert_claim(ActiveClaim._get_collection(), {
        "_id": key(offering_id, student_id), "offering_id": offering_id,
        "student_id": student_id, "enrollment_id": enrollment_id, "created_at": utcnow()})


def active_holder(offering_id: str, student_id: str) -> str | None:
    """The enrollment id that holds the student's active place, if any."""
    claim = ActiveClaim._get_collection().find_one({"_id": key(offering_id, student_id)},
                                                   {"enrollment_id": 1})
    return claim["enrollment_id"] if claim else None


def release_active(offering_id: str, student_id: str, enrollment_id: str) -> None:
    """Give the student's place back, only if `enrollment_id` still holds it."""
    ActiveClaim._get_collection().delete_one(
        {"_id": key(offering_id, student_id), "enrollment_id": enrollment_id})


def begin_transition(enrollment_id: str, from_version: int, action: str) -> bool:
    """Become the one writer allowed to move an enrollment on from `from_version`."""
    return insert_claim(EnrollmentTransition._get_collection(), {
        "_id": key(enrollment_id, from_version), "enrollment_id": enrollment_id,
        "from_version": from_version, "action": action, "created_at": utcnow()})


def abandon_transition(enrollment_id: str, from_version: int) -> None:
    """Give up a transition that did not happen, so another writer may try."""
    EnrollmentTransition._get_collection().delete_one({"_id": key(enrollment_id, from_version)})
