"""Enrollment events → the roster, the student's cohort bucket and the student's stamp.

Every step is idempotent, and a redelivered event runs them all again, so a worker that
crashed half-way through an event finishes the job when the event is delivered again.
"""

from __future__ import annotations

from meridian_common.events.envelope import ReceivedEvent

from ..cohorts import sync_member
from ..models import ClassroomRosterEntry
from ..readmodels import roster_id
from ..stamps import StudentStamp
from .writes import renew_stamp, write_fields


def _roster_status(enrollments: list[dict]) -> str:
    if any(e["status"] == "confirmed" for e in enrollments):
        return "confirmed"
    return max(enrollments, key=lambda e: e["version"])["status"]


def _apply(payload: dict) -> tuple[dict, bool]:
    """The student's roster entry after this event, and whether the later steps must run."""
    collection = ClassroomRosterEntry._get_collection()
    key = roster_id(payload["offering_id"], payload["student_id"])
    found = collection.find_one({"_id": key})
    entry = found or {}
    enrollments = {e["id"]: e for e in entry.get("enrollments", [])}
    known = enrollments.get(payload["enrollment_id"])
    if known is not None and known["version"] >= payload["version"]:
        # A replay may be finishing a delivery that crashed after this write: redo the rest.
        return entry, True
    enrollments[payload["enrollment_id"]] = {"id": payload["enrollment_id"],
                                             "status": payload["status"],
                                             "version": payload["version"]}
    listed = sorted(enrollments.values(), key=lambda e: e["id"])
    fields = {"offering_id": payload["offering_id"], "student_id": payload["student_id"],
              "institution_id": payload.get("institution_id") or entry.get("institution_id"),
              "enrollments": listed, "status": _roster_status(listed)}
    write_fields(collection, key, fields, found is not None)
    was_member = entry.get("status") == "confirmed"
    return fields, was_member != (fields["status"] == "confirmed")


def touch_student(student_id: str) -> None:
    """Give the student a fresh stamp: any cached list of their offerings is now stale."""
    renew_stamp(StudentStamp._get_collection(), student_id)


def record_enrollment(_event: ReceivedEvent, payload: dict) -> None:
    """One enrollment's newest state; the student is on the roster while any is confirmed.

    The cohort and the student's stamp change only with membership (or on a replay), so the
    waitlist and lottery traffic of other students costs one read and one write.
    """
    entry, membership_may_differ = _apply(payload)
    if membership_may_differ:
        sync_member(payload["offering_id"], payload["student_id"], entry)
        touch_student(payload["student_id"])
