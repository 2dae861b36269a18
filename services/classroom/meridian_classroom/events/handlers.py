"""Catalog and enrollment events keep the classroom's read models; a cancelled offering's
sessions are cancelled. Every handler is idempotent and tolerates events arriving out of order."""

from __future__ import annotations

import logging

from pymongo.errors import DuplicateKeyError

from meridian_common.events.envelope import ReceivedEvent
from meridian_common.messaging.consumer import Handler

from ..models import ClassroomCourse, ClassroomInstitution, ClassroomOffering
from ..schedule import cancel_offering
from ..stamps import FacultyStamp
from .roster import record_enrollment
from .writes import renew_stamp, store_if_newer

log = logging.getLogger(__name__)


def _faculty(payload: dict) -> dict:
    members = [{"user_id": m["user_id"], "role": m["role"]} for m in payload["faculty"]]
    return {"faculty": members, "faculty_ids": sorted(m["user_id"] for m in members)}


def record_institution(_event: ReceivedEvent, payload: dict) -> None:
    """Remember an institution's time zone (newest version wins)."""
    store_if_newer(ClassroomInstitution._get_collection(), payload["institution_id"],
                   payload["version"], {"timezone": payload["timezone"]})


def _touch_faculty_of(course_id: str) -> None:
    """Renew the stamps of everyone who teaches the course or just stopped teaching it."""
    # Runs after the write on every delivery, so a replay finishes what a crash interrupted.
    course = ClassroomCourse._get_collection().find_one(
        {"_id": course_id}, {"faculty_ids": 1, "former_faculty_ids": 1}) or {}
    stamps = FacultyStamp._get_collection()
    for user_id in sorted({*course.get("faculty_ids", []), *course.get("former_faculty_ids", [])}):
        renew_stamp(stamps, user_id)


def record_course(_event: ReceivedEvent, payload: dict) -> None:
    """A course's faculty (shared by all its offerings), code and title."""
    collection = ClassroomCourse._get_collection()
    current = collection.find_one({"_id": payload["course_id"]}, {"faculty_ids": 1}) or {}
    faculty = _faculty(payload)
    former = sorted(set(current.get("faculty_ids", [])) - set(faculty["faculty_ids"]))
    store_if_newer(collection, payload["course_id"], payload["version"],
                   {"code": payload["code"], "title": payload["title"], **faculty,
                    "former_faculty_ids": former})
    _touch_faculty_of(payload["course_id"])


def record_offering(_event: ReceivedEvent, payload: dict) -> None:
    """An offering's zone and status; a cancellation also cancels its sessions."""
    store_if_newer(ClassroomOffering._get_collection(), payload["offering_id"],
                   payload["version"], {
                       "course_id": payload["course_id"],
                       "provider_institution_id": payload["provider_institution_id"],
                       "timezone": payload["timezone"],
                       "starts_on": payload["starts_on"].isoformat(),
                       "ends_on": payload["ends_on"].isoformat(), "status": payload["status"]})
    try:
        # Offering and course events travel on different partitions; until the course's own
        # event arrives, the faculty snapshot in the offering event stands in (version 0).
        ClassroomCourse._get_collection().insert_one(
            {"_id": payload["course_id"], "code": "", "title": "", "version": 0,
             **_faculty(payload)})
    except DuplicateKeyError:
        pass
    _touch_faculty_of(payload["course_id"])
    if payload["status"] == "cancelled":
        # Runs on every delivery: only still-scheduled sessions change, so replays are harmless.
        cancelled = cancel_offering(payload["offering_id"])
        log.info("offering %s cancelled: %d sessions cancelled", payload["offering_id"], cancelled)


ENROLLMENT_KINDS = ("confirmed", "waitlisted", "applied", "promoted", "withdrawn", "cancelled")
HANDLERS: dict[str, Handler] = {
    "lms.catalog.institution.created.v1": record_institution,
    "lms.catalog.institution.updated.v1": record_institution,
    "lms.catalog.course.published.v1": record_course,
    "lms.catalog.course.updated.v1": record_course,
    "lms.catalog.course.archived.v1": record_course,
    "lms.catalog.offering.opened.v1": record_offering,
    "lms.catalog.offering.updated.v1": record_offering,
    "lms.catalog.offering.cancelled.v1": record_offering,
    **{f"lms.enrollment.{kind}.v1": record_enrollment for kind in ENROLLMENT_KINDS},
}
