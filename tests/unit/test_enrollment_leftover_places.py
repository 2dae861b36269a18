"""A place left by a creation that never committed (a crash, a database outage) on a fake
clock: retryable while it may still commit, released once its lease is over, never a false
`already_enrolled`; and a creation past its lease does not commit."""

from __future__ import annotations

import pytest

from meridian_enrollment.application.enroll import enroll
from meridian_enrollment.domain import lifecycle
from meridian_enrollment.domain.refusals import CONFLICT, UNAVAILABLE, Refusal
from tests.unit.enrollment_fakes import FakeClock, an_offering, fake_ports


@pytest.fixture
def ports():
    return fake_ports()


def crashed_creation(ports, offering, student, enrollment_id="enr_dead"):
    """What a worker killed between its claims and its enrollment insert leaves behind."""
    assert ports.places.take(offering.id, student, enrollment_id, None)
    assert ports.seats.reserve(offering, enrollment_id) is not None


def test_a_fresh_leftover_place_is_a_retryable_503_not_already_enrolled(ports):
    offering = an_offering(ports, capacity=1)
    crashed_creation(ports, offering, "a")
    ports.clock.advance(seconds=1)
    with pytest.raises(Refusal) as refused:
        enroll(ports, offering, "a", None, "a")
    assert (refused.value.kind, refused.value.code) == (UNAVAILABLE, "enrollment_in_progress")
    assert 1 <= int(refused.value.extra["headers"]["Retry-After"]) <= 5
    assert ports.enrollments.rows == {}


def test_once_its_lease_is_over_the_leftover_is_released_and_the_student_enrolled(ports):
    offering = an_offering(ports, capacity=1)
    crashed_creation(ports, offering, "a")
    ports.clock.advance(seconds=ports.claim_lease.total_seconds())

    enrollment, _ = enroll(ports, offering, "a", None, "a")

    assert enrollment.status == "confirmed"  # the leftover's seat was released too
    assert ports.places.holder(offering.id, "a") == enrollment.id
    assert ports.seats.holders(offering.id) == {enrollment.id}


def test_a_retry_waits_for_a_creation_in_flight_and_then_names_it(ports):
    offering = an_offering(ports)
    assert ports.places.take(offering.id, "a", "enr_inflight", None)
    ports.clock = CommittingClock(ports.clock, lambda: commit(ports, offering, "enr_inflight"))

    with pytest.raises(Refusal) as refused:
        enroll(ports, offering, "a", None, "a")

    assert (refused.value.kind, refused.value.code) == (CONFLICT, "already_enrolled")
    assert refused.value.extra["enrollment_id"] == "enr_inflight"
    assert list(ports.enrollments.rows) == ["enr_inflight"]


def test_a_creation_slower_than_its_lease_is_undone_instead_of_committed(ports):
    offering = an_offering(ports, capacity=3)
    reserve = ports.seats.reserve

    def slow_reserve(view, enrollment_id):
        ports.clock.advance(seconds=ports.claim_lease.total_seconds())
        return reserve(view, enrollment_id)

    ports.seats.reserve = slow_reserve
    with pytest.raises(Refusal) as refused:
        enroll(ports, offering, "a", None, "a")
    assert (refused.value.kind, refused.value.code) == (UNAVAILABLE, "enrollment_timed_out")
    assert ports.enrollments.rows == {}
    assert ports.places.holder(offering.id, "a") is None
    assert ports.seats.holders(offering.id) == set()


class CommittingClock(FakeClock):
    """A fake clock on which another request commits during the first pause."""

    def __init__(self, clock, commit):
        super().__init__(clock.current)
        self.commit = commit

    def sleep(self, seconds):
        if self.commit:
            self.commit, commit = None, self.commit
            commit()
        super().sleep(seconds)


def commit(ports, offering, enrollment_id):
    """The creation in flight inserts its enrollment."""
    now = ports.clock.now()
    draft = lifecycle.new_enrollment(enrollment_id, offering.id, "a", None, "a", now)
    ports.enrollments.add(*lifecycle.move(draft, "confirm", now))
