"""Enrolling claims by insert without reading the offering's claims (in-process, real FerretDB,
own database), and what the hints may not hide: seats released by another process."""

from __future__ import annotations

import threading
from datetime import timedelta

import mongoengine
import pytest
from pymongo import monitoring

from meridian_common.config import load_settings
from meridian_common.events.contracts import load_payload
from meridian_common.events.envelope import utcnow
from meridian_common.events.types import OFFERING_OPENED
from meridian_common.ids import new_id
from meridian_common.persistence import db
from meridian_common.persistence.server import IN_VALUES_PER_QUERY
from meridian_enrollment.adapters.seats import MongoSeatLedger
from meridian_enrollment.adapters.sweeps import MongoSweeps
from meridian_enrollment.adapters.waitlist import MongoWaitlist
from meridian_enrollment.adapters.wiring import ensure_indexes, mongo_ports
from meridian_enrollment.application.enroll import enroll
from meridian_enrollment.domain.lifecycle import CONFIRMED, WAITLISTED
from meridian_enrollment.events.handlers import handlers

CAPACITY = 20


class Commands(monitoring.CommandListener):
    """Every command sent, with how many documents its first batch returned."""

    def __init__(self):
        self.seen: list[tuple[str, str, int]] = []
        self._names: dict[int, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def started(self, event):
        with self._lock:
            self._names[event.request_id] = (event.command_name,
                                             str(event.command.get(event.command_name)))

    def succeeded(self, event):
        batch = (event.reply.get("cursor") or {}).get("firstBatch") or []
        with self._lock:
            name, collection = self._names.pop(event.request_id, ("?", "?"))
            self.seen.append((name, collection, len(batch)))

    def failed(self, event):
        with self._lock:
            name, collection = self._names.pop(event.request_id, ("?", "?"))
            self.seen.append((name, collection, 0))

    def take(self) -> list[tuple[str, str, int]]:
        with self._lock:
            seen, self.seen = self.seen, []
        return seen


@pytest.fixture
def commands(isolated_db_name):
    """A connection to a private enrollment database whose commands are recorded."""
    listener = Commands()
    settings = load_settings("enrollment", {"mongo_db": isolated_db_name})
    mongoengine.disconnect(alias=db.ALIAS)
    mongoengine.connect(db=settings.mongo_db, host=settings.mongo_uri, alias=db.ALIAS,
                        uuidRepresentation="standard", tz_aware=True,
                        event_listeners=[listener])
    ensure_indexes()
    yield listener
    mongoengine.disconnect(alias=db.ALIAS)


def open_offering(ports, capacity: int = CAPACITY):
    """An offering in the read model, announced the way the consumer does."""
    now = utcnow()
    offering_id = new_id("off")
    handlers(ports)[OFFERING_OPENED](None, load_payload(OFFERING_OPENED, {
        "offering_id": offering_id, "course_id": "crs_1", "provider_institution_id": "ins_p",
        "term": "T", "starts_on": "2027-01-04", "ends_on": "2027-01-22", "timezone": "UTC",
        "capacity": capacity, "enrollment_opens_at": (now - timedelta(days=1)).isoformat(),
        "enrollment_closes_at": (now + timedelta(days=1)).isoformat(), "eligibility": None,
        "selection": "first_come", "waitlist": True, "status": "open", "faculty": [],
        "version": 1}))
    return ports.offerings.get(offering_id)


def test_a_rush_enrolls_without_reading_the_offerings_seats_or_sorting_its_line(commands):
    ports = mongo_ports()
    offering = open_offering(ports)
    commands.take()
    per_enrollment = []
    for n in range(2 * CAPACITY):
        enrollment, _position = enroll(ports, offering, f"stu-{n}", None, f"stu-{n}")
        per_enrollment.append((enrollment.status, commands.take()))
    statuses = [status for status, _ in per_enrollment]
    assert statuses == [CONFIRMED] * CAPACITY + [WAITLISTED] * CAPACITY
    # The first enrollment reads the (empty) seats once, the first waitlisted one reads them
    # to be sure the offering is full; every other one only inserts and looks up by key.
    for status, sent in per_enrollment[1:CAPACITY] + per_enrollment[CAPACITY + 1:]:
        assert not [c for c in sent if c[0] == "find" and c[1] == "seats"], (status, sent)
        assert max(returned for _, _, returned in sent) <= 1, (status, sent)
    assert max(len(sent) for _, sent in per_enrollment[1:CAPACITY]) <= 4
    assert max(len(sent) for _, sent in per_enrollment[CAPACITY + 1:]) <= 6
    seats = db.database()["seats"].distinct("seat_no", {"offering_id": offering.id})
    assert sorted(seats) == list(range(1, CAPACITY + 1))
    tickets = db.database()["waitlist_tickets"].distinct("ticket", {"offering_id": offering.id})
    assert sorted(tickets) == list(range(1, CAPACITY + 1))


def test_a_process_that_remembers_the_offering_full_sees_a_seat_another_one_released(
        commands):
    ports = mongo_ports()
    offering = open_offering(ports, capacity=3)
    mine, theirs = MongoSeatLedger(), MongoSeatLedger()
    seats = [mine.reserve(offering, new_id("enr")) for _ in range(3)]
    assert all(seats) and mine.reserve(offering, new_id("enr")) is None
    commands.take()
    assert mine.any_free(offering) is False
    assert not [c for c in commands.take() if c[1] == "seats"]  # answered from the hint
    theirs.release(seats[0])
    assert mine.any_free(offering) is True
    assert mine.reserve(offering, new_id("enr")).seat_no == seats[0].seat_no


def test_a_seat_the_repair_sweep_releases_is_seen_by_a_process_that_remembers_it_taken(
        commands):
    ports = mongo_ports()
    offering = open_offering(ports, capacity=1)
    mine = MongoSeatLedger()
    assert mine.reserve(offering, new_id("enr")) is not None  # never committed: an orphan
    assert mine.any_free(offering) is False
    db.database()["seats"].update_many({}, {"$set": {"created_at": utcnow()
                                                     - timedelta(minutes=2)}})
    touched = MongoSweeps().release_orphans(utcnow() - timedelta(seconds=60), None)
    assert touched == {offering.id}
    assert mine.any_free(offering) is True


def test_a_stale_ticket_hint_still_takes_the_next_ticket_without_a_gap(commands):
    ports = mongo_ports()
    offering = open_offering(ports, capacity=1)
    mine, theirs = MongoWaitlist(), MongoWaitlist()
    assert mine.append(offering.id, new_id("enr")) == 1
    assert [theirs.append(offering.id, new_id("enr")) for _ in range(6)] == [2, 3, 4, 5, 6, 7]
    assert mine.anyone_waiting(offering.id) is True
    assert mine.append(offering.id, new_id("enr")) == 8
    tickets = db.database()["waitlist_tickets"].distinct("ticket", {"offering_id": offering.id})
    assert sorted(tickets) == list(range(1, 9))


def test_the_orphan_sweep_releases_only_the_seats_of_enrollments_that_never_committed(
        commands):
    ports = mongo_ports()
    offering = open_offering(ports, capacity=2 * IN_VALUES_PER_QUERY + 10)
    committed = {enroll(ports, offering, f"stu-{n}", None, f"stu-{n}")[0].id
                 for n in range(2 * IN_VALUES_PER_QUERY + 5)}
    ledger = MongoSeatLedger()
    orphans = [ledger.reserve(offering, new_id("enr")) for _ in range(5)]
    db.database()["seats"].update_many({}, {"$set": {"created_at": utcnow()
                                                     - timedelta(minutes=2)}})
    commands.take()
    touched = MongoSweeps().release_orphans(utcnow() - timedelta(seconds=60), None)
    assert touched == {offering.id}
    kept = set(db.database()["seats"].distinct("enrollment_id", {"offering_id": offering.id}))
    assert kept == committed
    assert not kept & {seat.enrollment_id for seat in orphans}
    # The enrollments are looked up in `$in`s short enough for FerretDB's index, not in one.
    lookups = [returned for name, collection, returned in commands.take()
               if name == "find" and collection == "enrollments"]
    assert len(lookups) >= 3
    assert max(lookups) <= IN_VALUES_PER_QUERY


def test_the_orphan_sweeps_mark_is_kept_and_moved_on(commands):
    sweeps = MongoSweeps()
    assert sweeps.checked_until() is None
    first = utcnow().replace(microsecond=0) - timedelta(minutes=5)
    sweeps.note_checked(first)
    assert sweeps.checked_until() == first
    sweeps.note_checked(first + timedelta(minutes=3))
    assert MongoSweeps().checked_until() == first + timedelta(minutes=3)
    assert db.database()["sweep_marks"].count_documents({}) == 1
