"""At most one active enrollment per (offering, student): the student's claim in the offering."""

from __future__ import annotations

from meridian_common.events.envelope import utcnow

from .store import insert_claim, ledger


def take(offering_id: str, student_id: str, enrollment_id: str,
         institution_id: str | None = None) -> bool:
    """Claim the student's single active place in the offering for `enrollment_id`."""
    return insert_claim(ledger(offering_id, "students"), {
        "_id": student_id, "offering_id": offering_id, "enrollment_id": enrollment_id,
        "institution_id": institution_id, "created_at": utcnow()})


def active(offering_id: str) -> list[dict]:
    """Every active place of the offering: `{_id: student, enrollment_id, institution_id}`."""
    return list(ledger(offering_id, "students").find({}))


def holder(offering_id: str, student_id: str) -> str | None:
    """The enrollment id that holds the student's active place, if any."""
    claim = ledger(offering_id, "students").find_one({"_id": student_id}, {"enrollment_id": 1})
    return claim["enrollment_id"] if claim else None


def release(offering_id: str, student_id: str, enrollment_id: str) -> None:
    """Give the student's place back, only if `enrollment_id` still holds it."""
    ledger(offering_id, "students").delete_one({"_id": student_id,
                                                "enrollment_id": enrollment_id})
