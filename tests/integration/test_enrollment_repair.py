"""The repair sweep releases what a crash left behind (in-process, real FerretDB, own database)."""

from __future__ import annotations

from datetime import timedelta

import mongoengine
import pytest

from meridian_common.config import load_settings
from meridian_common.events.contracts import load_payload
from meridian_common.events.envelope import utcnow
from meridian_common.ids import new_id
from meridian_common.persistence import db
from meridian_common.persistence.outbox import update_with_events
from meridian_enrollment.actions import repair
from meridian_enrollment.actions.enroll import enroll
from meridian_enrollment.actions.readmodels import load_offering
from meridian_enrollment.events.handlers import on_offering
from meridian_enrollment.events.payloads import enrollment_event
from meridian_enrollment.ledger import seats, students, waitlist
from meridian_enrollment.ledger.store import ledger
from meridian_enrollment.ledger.transitions import begin
from meridian_enrollment.models import ALL_DOCUMENTS, Enrollment, EnrollmentTransition

OLD = timedelta(minutes=2)


@pytest.fixture
def offering(isolated_db_name):
    """An offering with 1 seat in the read model of a private enrollment database."""
    db.connect(load_settings("enrollment", {"mongo_db": isolated_db_name}))
    db.ensure_indexes(*ALL_DOCUMENTS)
    now = utcnow()
    offering_id = new_id("off")
    on_offering(None, load_payload("lms.catalog.offering.opened.v1", {
        "offering_id": offering_id, "course_id": "crs_1", "provider_institution_id": "ins_p",
        "term": "T", "starts_on": "2027-01-04", "ends_on": "2027-01-22", "timezone": "UTC",
        "capacity": 1, "enrollment_opens_at": (now - timedelta(days=1)).isoformat(),
        "enrollment_closes_at": (now + timedelta(days=1)).isoformat(), "eligibility": None,
        "selection": "first_come", "waitlist": True, "status": "open", "faculty": [],
        "version": 1}))
    yield load_offering(offering_id)
    mongoengine.disconnect(alias=db.ALIAS)


def backdate(collection, age: timedelta = OLD) -> None:
    """Pretend every row of `collection` was written `age` ago."""
    collection.update_many({}, {"$set": {"created_at": utcnow() - age}})


def test_claims_of_a_creation_that_never_committed_are_released(offering):
    students.take(offering.id, "ghost", "enr_ghost")
    seats.claim(offering.id, offering.capacity, "enr_ghost")
    for kind in ("students", "seats"):
        backdate(ledger(offering.id, kind))

    touched = repair.sweep()

    assert touched == {offering.id}
    assert students.holder(offering.id, "ghost") is None
    assert seats.taken_numbers(offering.id) == set()
    enrollment, _ = enroll(offering, "real-student", None, "real-student")
    assert enrollment.status == "confirmed"


def test_orphan_ticket_leaves_the_line_and_the_next_waiter_moves_up(offering):
    enroll(offering, "seated", None, "seated")
    waitlist.take_ticket(offering.id, "enr_ghost")
    backdate(ledger(offering.id, "tickets"))
    waiting, position = enroll(offering, "waiting", None, "waiting")
    assert position == 2

    repair.sweep()

    assert waitlist.position(offering.id, waiting.ticket) == 1


def test_young_claims_are_left_alone(offering):
    students.take(offering.id, "in-flight", "enr_in_flight")
    seats.claim(offering.id, offering.capacity, "enr_in_flight")

    assert repair.sweep() == set()

    assert seats.taken_numbers(offering.id) == {1}


def test_withdrawal_interrupted_after_its_commit_is_finished(offering):
    seated, _ = enroll(offering, "leaver", None, "leaver")
    waiting, _ = enroll(offering, "next", None, "next")
    begin(seated, "withdrawn")
    update_with_events(seated, {"status": "withdrawn"},
                       lambda doc: [enrollment_event("withdrawn", doc)])
    backdate(EnrollmentTransition._get_collection())
    assert seats.taken_numbers(offering.id) == {1}

    repair.sweep()

    assert Enrollment.objects(id=waiting.id).first().status == "confirmed"
    assert students.holder(offering.id, "leaver") is None
    assert EnrollmentTransition.objects.count() == 0


def test_stale_transition_claim_no_longer_blocks_the_enrollment(offering):
    seated, _ = enroll(offering, "stuck", None, "stuck")
    begin(seated, "withdrawn")
    backdate(EnrollmentTransition._get_collection())

    repair.sweep()

    assert EnrollmentTransition.objects.count() == 0
    assert Enrollment.objects(id=seated.id).first().status == "confirmed"
    assert seats.taken_numbers(offering.id) == {1}
