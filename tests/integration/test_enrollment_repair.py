"""The repair sweep releases what a crash left behind (in-process, real FerretDB, own database)."""

from __future__ import annotations

from datetime import timedelta

import mongoengine
import pytest

from meridian_common.config import load_settings
from meridian_common.events.contracts import load_payload
from meridian_common.events.envelope import utcnow
from meridian_common.events.types import OFFERING_OPENED
from meridian_common.ids import new_id
from meridian_common.persistence import db
from meridian_enrollment.adapters.documents import TransitionClaim
from meridian_enrollment.adapters.wiring import ensure_indexes, mongo_ports
from meridian_enrollment.application import repair
from meridian_enrollment.application.enroll import enroll
from meridian_enrollment.domain.lifecycle import move
from meridian_enrollment.events.handlers import handlers

OLD = timedelta(minutes=2)


@pytest.fixture
def ports(isolated_db_name):
    """The MongoDB ports on a private enrollment database."""
    db.connect(load_settings("enrollment", {"mongo_db": isolated_db_name}))
    ensure_indexes()
    yield mongo_ports()
    mongoengine.disconnect(alias=db.ALIAS)


@pytest.fixture
def offering(ports):
    """An offering with 1 seat in the read model, announced the way the consumer does."""
    now = utcnow()
    offering_id = new_id("off")
    handlers(ports)[OFFERING_OPENED](None, load_payload(OFFERING_OPENED, {
        "offering_id": offering_id, "course_id": "crs_1", "provider_institution_id": "ins_p",
        "term": "T", "starts_on": "2027-01-04", "ends_on": "2027-01-22", "timezone": "UTC",
        "capacity": 1, "enrollment_opens_at": (now - timedelta(days=1)).isoformat(),
        "enrollment_closes_at": (now + timedelta(days=1)).isoformat(), "eligibility": None,
        "selection": "first_come", "waitlist": True, "status": "open", "faculty": [],
        "version": 1}))
    return ports.offerings.get(offering_id)


def backdate(*collections: str, age: timedelta = OLD) -> None:
    """Pretend every row of the collections was written `age` ago."""
    for name in collections:
        db.database()[name].update_many({}, {"$set": {"created_at": utcnow() - age}})


def seat_numbers(offering_id: str) -> set[int]:
    return {row["seat_no"] for row in db.database()["seats"].find({"offering_id": offering_id})}


def test_claims_of_a_creation_that_never_committed_are_released(ports, offering):
    ports.places.take(offering.id, "ghost", "enr_ghost", None)
    assert ports.seats.reserve(offering, "enr_ghost") is not None
    backdate("places", "seats")

    touched = repair.sweep(ports)

    assert touched == {offering.id}
    assert ports.places.holder(offering.id, "ghost") is None
    assert seat_numbers(offering.id) == set()
    enrollment, _ = enroll(ports, offering, "real-student", None, "real-student")
    assert enrollment.status == "confirmed"


def test_orphan_ticket_leaves_the_line_and_the_next_waiter_moves_up(ports, offering):
    enroll(ports, offering, "seated", None, "seated")
    ports.waitlist.append(offering.id, "enr_ghost")
    backdate("waitlist_tickets")
    waiting, position = enroll(ports, offering, "waiting", None, "waiting")
    assert position == 2

    repair.sweep(ports)

    assert ports.waitlist.position(offering.id, waiting.ticket) == 1


def test_young_claims_are_left_alone(ports, offering):
    ports.places.take(offering.id, "in-flight", "enr_in_flight", None)
    ports.seats.reserve(offering, "enr_in_flight")

    assert repair.sweep(ports) == set()

    assert seat_numbers(offering.id) == {1}


def test_withdrawal_interrupted_after_its_commit_is_finished(ports, offering):
    seated, _ = enroll(ports, offering, "leaver", None, "leaver")
    waiting, _ = enroll(ports, offering, "next", None, "next")
    ended, events = move(seated, "withdraw", utcnow())
    assert ports.enrollments.hold(seated, "withdraw")
    assert ports.enrollments.update(seated, ended, events)  # ... and the process died here
    backdate("enrollment_transitions")
    assert seat_numbers(offering.id) == {1}

    repair.sweep(ports)

    assert ports.enrollments.get(waiting.id).status == "confirmed"
    assert ports.places.holder(offering.id, "leaver") is None
    assert TransitionClaim.objects.count() == 0


def test_stale_hold_no_longer_blocks_the_enrollment(ports, offering):
    seated, _ = enroll(ports, offering, "stuck", None, "stuck")
    assert ports.enrollments.hold(seated, "withdraw")
    backdate("enrollment_transitions")

    repair.sweep(ports)

    assert TransitionClaim.objects.count() == 0
    assert ports.enrollments.get(seated.id).status == "confirmed"
    assert seat_numbers(offering.id) == {1}
    assert ports.enrollments.hold(seated, "withdraw")
