"""Catalog events feed the enrollment read models idempotently (in-process, real FerretDB)."""

from __future__ import annotations

from datetime import timedelta

import mongoengine
import pytest

from meridian_common.config import load_settings
from meridian_common.events.contracts import load_payload
from meridian_common.events.envelope import utcnow
from meridian_common.events.types import (
    COURSE_UPDATED,
    INSTITUTION_CREATED,
    INSTITUTION_UPDATED,
    OFFERING_CANCELLED,
    OFFERING_OPENED,
    OFFERING_UPDATED,
)
from meridian_common.ids import new_id
from meridian_common.persistence import db
from meridian_enrollment.adapters.wiring import ensure_indexes, mongo_ports
from meridian_enrollment.application.admission import course_staff
from meridian_enrollment.application.enroll import enroll
from meridian_enrollment.events.handlers import handlers


@pytest.fixture
def ports(isolated_db_name):
    """The MongoDB ports on a private enrollment database."""
    db.connect(load_settings("enrollment", {"mongo_db": isolated_db_name}))
    ensure_indexes()
    yield mongo_ports()
    mongoengine.disconnect(alias=db.ALIAS)


def deliver(ports, event_type: str, data: dict) -> None:
    """Hand an event to the worker's handler the way the consumer does (contract-loaded)."""
    handlers(ports)[event_type](None, load_payload(event_type, data))


def offering_data(offering_id: str, version: int, **changes) -> dict:
    now = utcnow()
    return {"offering_id": offering_id, "course_id": "crs_rm", "provider_institution_id": "ins_p",
            "term": "T", "starts_on": "2027-01-04", "ends_on": "2027-01-22", "timezone": "UTC",
            "capacity": 2, "enrollment_opens_at": (now - timedelta(days=1)).isoformat(),
            "enrollment_closes_at": (now + timedelta(days=1)).isoformat(),
            "eligibility": None, "selection": "first_come", "waitlist": True, "status": "open",
            "faculty": [{"user_id": "prof", "role": "lead"}], "version": version, **changes}


def statuses(ports, offering_id: str) -> dict[str, str]:
    rows = ports.enrollments.of_offering(offering_id, ("confirmed", "waitlisted", "applied",
                                                       "withdrawn", "cancelled"))
    return {e.student_id: e.status for e in rows}


def test_older_or_repeated_versions_never_overwrite_newer_ones(ports):
    offering_id = new_id("off")
    deliver(ports, OFFERING_OPENED, offering_data(offering_id, 1))
    deliver(ports, OFFERING_UPDATED, offering_data(offering_id, 3, capacity=9))
    deliver(ports, OFFERING_UPDATED, offering_data(offering_id, 2, capacity=4))
    deliver(ports, OFFERING_UPDATED, offering_data(offering_id, 3, capacity=9))

    view = ports.offerings.get(offering_id)
    assert (view.version, view.capacity) == (3, 9)
    assert view.enrollment_closes_at > utcnow()


def test_institutions_and_course_staff_follow_their_newest_versions(ports):
    deliver(ports, INSTITUTION_CREATED, {
        "institution_id": "ins_x", "name": "X", "country": "CN", "timezone": "Asia/Shanghai",
        "alliances": ["asia-med"], "version": 1})
    deliver(ports, INSTITUTION_UPDATED, {
        "institution_id": "ins_x", "name": "X", "country": "CN", "timezone": "Asia/Shanghai",
        "alliances": ["asia-med", "med-eu"], "version": 2})
    offering_id = new_id("off")
    deliver(ports, OFFERING_OPENED, offering_data(offering_id, 1))
    course = {"course_id": "crs_rm", "code": "C", "title": "T", "provider_institution_id": "ins_p",
              "status": "published", "languages": ["en"], "discipline": None, "level": None}
    deliver(ports, COURSE_UPDATED, {**course, "version": 5, "faculty": [
        {"user_id": "new-ta", "role": "ta"}]})
    deliver(ports, COURSE_UPDATED, {**course, "version": 4, "faculty": []})

    assert ports.institutions.facts("ins_x").alliances == ("asia-med", "med-eu")
    assert ports.institutions.facts("ins_unknown") is None
    assert course_staff(ports, ports.offerings.get(offering_id)) == [
        {"user_id": "new-ta", "role": "ta"}]


def test_cancellation_cancels_every_active_enrollment_even_when_redelivered(ports):
    offering_id = new_id("off")
    deliver(ports, OFFERING_OPENED, offering_data(offering_id, 1, capacity=1))
    for student in ("s1", "s2"):
        enroll(ports, ports.offerings.get(offering_id), student, None, student)

    cancelled = offering_data(offering_id, 2, capacity=1, status="cancelled")
    deliver(ports, OFFERING_CANCELLED, cancelled)
    deliver(ports, OFFERING_CANCELLED, cancelled)

    rows = ports.enrollments.of_offering(offering_id, ("cancelled",))
    assert sorted((e.status, e.reason, e.version) for e in rows) == [
        ("cancelled", "offering_cancelled", 2)] * 2
    assert db.database()["seats"].count_documents({"offering_id": offering_id}) == 0
    assert ports.places.active(offering_id) == []


def test_capacity_raise_in_an_event_promotes_the_waitlist(ports):
    offering_id = new_id("off")
    deliver(ports, OFFERING_OPENED, offering_data(offering_id, 1, capacity=1))
    made = [enroll(ports, ports.offerings.get(offering_id), s, None, s)[0]
            for s in ("a", "b", "c")]

    deliver(ports, OFFERING_UPDATED, offering_data(offering_id, 2, capacity=2))

    assert statuses(ports, offering_id) == {"a": "confirmed", "b": "confirmed",
                                            "c": "waitlisted"}
    assert [e.status for e in made] == ["confirmed", "waitlisted", "waitlisted"]
