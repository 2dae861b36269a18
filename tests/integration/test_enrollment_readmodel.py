"""Catalog events feed the enrollment read models idempotently (in-process, real FerretDB)."""

from __future__ import annotations

from datetime import timedelta

import mongoengine
import pytest

from meridian_common.config import load_settings
from meridian_common.events.contracts import load_payload
from meridian_common.events.envelope import utcnow
from meridian_common.ids import new_id
from meridian_common.persistence import db
from meridian_enrollment.actions.enroll import enroll
from meridian_enrollment.actions.readmodels import course_staff, institution_facts, load_offering
from meridian_enrollment.events.handlers import HANDLERS
from meridian_enrollment.ledger import seats
from meridian_enrollment.models import ALL_DOCUMENTS, Enrollment


@pytest.fixture
def private_db(isolated_db_name):
    """mongoengine connected to a fresh enrollment database."""
    db.connect(load_settings("enrollment", {"mongo_db": isolated_db_name}))
    db.ensure_indexes(*ALL_DOCUMENTS)
    yield
    mongoengine.disconnect(alias=db.ALIAS)


def deliver(event_type: str, data: dict) -> None:
    """Hand an event to the worker's handler the way the consumer does (contract-loaded)."""
    HANDLERS[event_type](None, load_payload(event_type, data))


def offering_data(offering_id: str, version: int, **changes) -> dict:
    now = utcnow()
    return {"offering_id": offering_id, "course_id": "crs_rm", "provider_institution_id": "ins_p",
            "term": "T", "starts_on": "2027-01-04", "ends_on": "2027-01-22", "timezone": "UTC",
            "capacity": 2, "enrollment_opens_at": (now - timedelta(days=1)).isoformat(),
            "enrollment_closes_at": (now + timedelta(days=1)).isoformat(),
            "eligibility": None, "selection": "first_come", "waitlist": True, "status": "open",
            "faculty": [{"user_id": "prof", "role": "lead"}], "version": version, **changes}


@pytest.mark.usefixtures("private_db")
def test_older_or_repeated_versions_never_overwrite_newer_ones():
    offering_id = new_id("off")
    deliver("lms.catalog.offering.opened.v1", offering_data(offering_id, 1))
    deliver("lms.catalog.offering.updated.v1", offering_data(offering_id, 3, capacity=9))
    deliver("lms.catalog.offering.updated.v1", offering_data(offering_id, 2, capacity=4))
    deliver("lms.catalog.offering.updated.v1", offering_data(offering_id, 3, capacity=9))

    view = load_offering(offering_id)
    assert (view.version, view.capacity) == (3, 9)
    assert view.enrollment_closes_at > utcnow()


@pytest.mark.usefixtures("private_db")
def test_institutions_and_course_staff_follow_their_newest_versions():
    deliver("lms.catalog.institution.created.v1", {
        "institution_id": "ins_x", "name": "X", "country": "CN", "timezone": "Asia/Shanghai",
        "alliances": ["asia-med"], "version": 1})
    deliver("lms.catalog.institution.updated.v1", {
        "institution_id": "ins_x", "name": "X", "country": "CN", "timezone": "Asia/Shanghai",
        "alliances": ["asia-med", "med-eu"], "version": 2})
    offering_id = new_id("off")
    deliver("lms.catalog.offering.opened.v1", offering_data(offering_id, 1))
    course = {"course_id": "crs_rm", "code": "C", "title": "T", "provider_institution_id": "ins_p",
              "status": "published", "languages": ["en"], "discipline": None, "level": None}
    deliver("lms.catalog.course.updated.v1", {**course, "version": 5, "faculty": [
        {"user_id": "new-ta", "role": "ta"}]})
    deliver("lms.catalog.course.updated.v1", {**course, "version": 4, "faculty": []})

    assert institution_facts("ins_x").alliances == ("asia-med", "med-eu")
    assert institution_facts("ins_unknown") is None
    assert course_staff(load_offering(offering_id)) == [{"user_id": "new-ta", "role": "ta"}]


@pytest.mark.usefixtures("private_db")
def test_cancellation_cancels_every_active_enrollment_even_when_redelivered():
    offering_id = new_id("off")
    deliver("lms.catalog.offering.opened.v1", offering_data(offering_id, 1, capacity=1))
    for student in ("s1", "s2"):
        enroll(load_offering(offering_id), student, None, student)

    cancelled = offering_data(offering_id, 2, capacity=1, status="cancelled")
    deliver("lms.catalog.offering.cancelled.v1", cancelled)
    deliver("lms.catalog.offering.cancelled.v1", cancelled)

    rows = Enrollment.objects(offering_id=offering_id)
    assert sorted((e.status, e.reason, e.version) for e in rows) == [
        ("cancelled", "offering_cancelled", 2)] * 2
    assert seats.taken_numbers(offering_id) == set()


@pytest.mark.usefixtures("private_db")
def test_capacity_raise_in_an_event_promotes_the_waitlist():
    offering_id = new_id("off")
    deliver("lms.catalog.offering.opened.v1", offering_data(offering_id, 1, capacity=1))
    made = [enroll(load_offering(offering_id), s, None, s)[0] for s in ("a", "b", "c")]

    deliver("lms.catalog.offering.updated.v1", offering_data(offering_id, 2, capacity=2))

    statuses = {e.student_id: e.status for e in Enrollment.objects(offering_id=offering_id)}
    assert statuses == {"a": "confirmed", "b": "confirmed", "c": "waitlisted"}
    assert [e.status for e in made] == ["confirmed", "waitlisted", "waitlisted"]
