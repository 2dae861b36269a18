"""Catalog and enrollment events → the classroom's read models; a cancelled offering's
sessions are cancelled. Every step is idempotent and tolerates events arriving out of order."""

from __future__ import annotations

from ..domain.roster import merge, roster_status
from .classroom import Classroom
from .scheduling import cancel_offering


def faculty_fields(payload: dict) -> dict:
    """A course's faculty as stored: members with roles, and their ids for lookups."""
    members = [{"user_id": m["user_id"], "role": m["role"]} for m in payload["faculty"]]
    return {"faculty": members, "faculty_ids": sorted(m["user_id"] for m in members)}


def record_institution(app: Classroom, payload: dict) -> None:
    """Remember an institution's time zone (newest version wins)."""
    app.catalog.record_institution(payload["institution_id"], payload["version"],
                                   payload["timezone"])


def record_course(app: Classroom, payload: dict) -> None:
    """A course's faculty (shared by all its offerings), code and title."""
    app.catalog.record_course(payload["course_id"], payload["version"], {
        "code": payload["code"], "title": payload["title"], **faculty_fields(payload)})


def record_offering(app: Classroom, payload: dict) -> int:
    """An offering's zone and status; a cancellation cancels its sessions (returns how many)."""
    app.catalog.record_offering(payload["offering_id"], payload["version"], {
        "course_id": payload["course_id"],
        "provider_institution_id": payload["provider_institution_id"],
        "timezone": payload["timezone"], "starts_on": payload["starts_on"].isoformat(),
        "ends_on": payload["ends_on"].isoformat(), "status": payload["status"]})
    # Offering and course events travel on different partitions; until the course's own
    # event arrives, the faculty snapshot in the offering event stands in (version 0).
    app.catalog.seed_course(payload["course_id"], faculty_fields(payload)["faculty"])
    if payload["status"] != "cancelled":
        return 0
    # Runs on every delivery: only still-scheduled sessions change, so replays are harmless.
    return cancel_offering(app, payload["offering_id"])


def record_enrollment(app: Classroom, payload: dict) -> bool:
    """One enrollment's newest state; returns False when the event was not newer."""
    offering_id, student_id = payload["offering_id"], payload["student_id"]
    entry = app.rosters.entry(offering_id, student_id)
    enrollments = merge((entry or {}).get("enrollments", []), payload["enrollment_id"],
                        payload["status"], payload["version"])
    if enrollments is None:
        return False
    app.rosters.store(offering_id, student_id, {
        "institution_id": payload.get("institution_id") or (entry or {}).get("institution_id"),
        "enrollments": enrollments, "status": roster_status(enrollments)}, entry is not None)
    return True
