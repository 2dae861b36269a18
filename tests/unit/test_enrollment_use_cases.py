"""Enrollment use cases on in-memory ports: enroll, withdraw and promote, cancel, repair."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from meridian_common.events import types
from meridian_enrollment.application import catalog, repair
from meridian_enrollment.application.admission import check_admission
from meridian_enrollment.application.enroll import enroll, enroll_many
from meridian_enrollment.application.queries import position_of, roster
from meridian_enrollment.application.settle import withdraw
from meridian_enrollment.domain.eligibility import InstitutionFacts
from meridian_enrollment.domain.lifecycle import move
from meridian_enrollment.domain.refusals import CONFLICT, NOT_ALLOWED, UNPROCESSABLE, Refusal
from tests.unit.enrollment_fakes import an_offering, fake_ports


@pytest.fixture
def ports():
    return fake_ports()


def enroll_all(ports, offering, *students):
    return [enroll(ports, offering, s, None, s) for s in students]


def test_enrolling_confirms_while_seats_last_then_waitlists_in_order(ports):
    offering = an_offering(ports, capacity=2)
    made = enroll_all(ports, offering, "a", "b", "c", "d")
    assert [(e.status, position) for e, position in made] == [
        ("confirmed", None), ("confirmed", None), ("waitlisted", 1), ("waitlisted", 2)]
    assert ports.enrollments.types_of(made[2][0].id) == [types.ENROLLMENT_WAITLISTED]
    assert ports.seats.holders(offering.id) == {made[0][0].id, made[1][0].id}


def test_a_lottery_offering_takes_applications_without_seats(ports):
    offering = an_offering(ports, selection="lottery", capacity=1)
    (applied, position), = enroll_all(ports, offering, "a")
    assert (applied.status, position) == ("applied", None)
    assert ports.seats.holders(offering.id) == set()
    assert ports.enrollments.types_of(applied.id) == [types.ENROLLMENT_APPLIED]


def test_a_second_active_enrollment_of_one_student_is_refused_naming_the_first(ports):
    offering = an_offering(ports)
    (first, _), = enroll_all(ports, offering, "a")
    with pytest.raises(Refusal) as refused:
        enroll(ports, offering, "a", None, "a")
    assert refused.value.code == "already_enrolled"
    assert refused.value.extra["enrollment_id"] == first.id
    assert len(ports.enrollments.rows) == 1


def test_a_full_offering_without_waitlist_refuses_and_keeps_no_claim(ports):
    offering = an_offering(ports, capacity=1, waitlist=False)
    enroll_all(ports, offering, "a")
    with pytest.raises(Refusal) as refused:
        enroll(ports, offering, "late", None, "late")
    assert (refused.value.kind, refused.value.code) == (CONFLICT, "offering_full")
    assert ports.places.holder(offering.id, "late") is None
    assert [e.student_id for e in ports.enrollments.rows.values()] == ["a"]
    assert ports.waitlist.tickets == {}


def test_withdrawing_a_seat_promotes_the_head_of_the_waitlist_at_once(ports):
    offering = an_offering(ports, capacity=2)
    (a, _), (b, _), (c, _), (d, _), (e, _) = enroll_all(ports, offering, *"abcde")

    ended = withdraw(ports, a.id)

    assert ended.status == "withdrawn" and ended.version == 2
    assert ports.enrollments.get(c.id).status == "confirmed"
    assert ports.enrollments.types_of(c.id) == [types.ENROLLMENT_WAITLISTED,
                                               types.ENROLLMENT_PROMOTED]
    assert [position_of(ports, ports.enrollments.get(x.id)) for x in (d, e)] == [1, 2]
    assert ports.seats.holders(offering.id) == {b.id, c.id}
    assert ports.places.holder(offering.id, "a") is None
    assert ports.enrollments.holds == {}


def test_leaving_the_waitlist_closes_the_gap_without_promoting(ports):
    offering = an_offering(ports, capacity=1)
    (_, _), (b, _), (c, _), (d, _) = enroll_all(ports, offering, *"abcd")
    withdraw(ports, c.id)
    groups = roster(ports, offering)
    assert [(e.id, p) for e, p in groups["waitlisted"]] == [(b.id, 1), (d.id, 2)]
    assert len(groups["confirmed"]) == 1


def test_withdrawing_twice_is_not_active(ports):
    offering = an_offering(ports)
    (a, _), = enroll_all(ports, offering, "a")
    withdraw(ports, a.id)
    with pytest.raises(Refusal) as refused:
        withdraw(ports, a.id)
    assert refused.value.code == "not_active"


def test_a_capacity_raise_promotes_as_many_as_fit_and_older_versions_change_nothing(ports):
    offering = an_offering(ports, capacity=1)
    made = [e for e, _ in enroll_all(ports, offering, *"abcd")]
    catalog.offering_announced(ports, replace(offering, capacity=3, version=2))
    statuses = [ports.enrollments.get(e.id).status for e in made]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    old = replace(offering, capacity=9, version=1)
    catalog.offering_announced(ports, old)  # an older version changes nothing
    assert ports.offerings.get(offering.id).capacity == 3


def test_cancelling_the_offering_cancels_every_active_enrollment_once(ports):
    offering = an_offering(ports, capacity=1)
    made = [e for e, _ in enroll_all(ports, offering, "a", "b")]
    cancelled = replace(offering, status="cancelled", version=2)
    catalog.offering_announced(ports, cancelled)
    catalog.offering_announced(ports, cancelled)
    rows = [ports.enrollments.get(e.id) for e in made]
    assert [(e.status, e.reason, e.version) for e in rows] == [
        ("cancelled", "offering_cancelled", 2)] * 2
    assert ports.seats.holders(offering.id) == set() and ports.places.active(offering.id) == []


@pytest.mark.parametrize(("changes", "code"), [
    ({"status": "cancelled"}, "offering_not_open"),
    ({"enrollment_opens_at_days": 1}, "enrollment_not_open"),
    ({"enrollment_closes_at_days": -1}, "enrollment_closed")])
def test_outside_the_window_admission_is_unprocessable(ports, changes, code):
    now = ports.clock.now()
    fields = {}
    if "status" in changes:
        fields["status"] = changes["status"]
    if "enrollment_opens_at_days" in changes:
        fields["enrollment_opens_at"] = now + timedelta(days=1)
    if "enrollment_closes_at_days" in changes:
        fields["enrollment_closes_at"] = now - timedelta(hours=1)
    offering = an_offering(ports, **fields)
    with pytest.raises(Refusal) as refused:
        check_admission(ports, offering, None)
    assert (refused.value.kind, refused.value.code) == (UNPROCESSABLE, code)


def test_an_archived_course_s_offerings_take_no_enrollments(ports):
    offering = an_offering(ports)
    catalog.course_announced(ports, "crs_1", 1, "ins_p", [], "published")
    check_admission(ports, offering, None)
    catalog.course_announced(ports, "crs_1", 2, "ins_p", [], "archived")
    with pytest.raises(Refusal) as refused:
        check_admission(ports, offering, None)
    assert (refused.value.kind, refused.value.code) == (UNPROCESSABLE, "offering_not_open")
    assert "archived" in refused.value.detail


def test_eligibility_refusals_name_their_reason(ports):
    offering = an_offering(ports, eligibility={"institutions": ["ins_a"], "alliances": ["med"],
                                               "countries": []})
    ports.institutions.store_newer("ins_m", 1, InstitutionFacts("CN", ("med",)))
    ports.institutions.store_newer("ins_x", 1, InstitutionFacts("FR", ()))
    check_admission(ports, offering, "ins_a")
    check_admission(ports, offering, "ins_m")
    for institution, reason in ((None, "no_institution"), ("ins_x", "not_eligible"),
                                ("ins_unknown", "institution_unknown")):
        with pytest.raises(Refusal) as refused:
            check_admission(ports, offering, institution)
        assert (refused.value.kind, refused.value.extra["reason"]) == (NOT_ALLOWED, reason)


def test_bulk_gives_one_result_per_student_with_single_enrollment_rules(ports):
    offering = an_offering(ports, capacity=2, waitlist=False)
    enroll_all(ports, offering, "b")
    results = dict(enroll_many(ports, offering, ["a", "b", "c"], None, "admin"))
    assert results["a"][0].status == "confirmed"
    assert results["b"].code == "already_enrolled"
    assert results["c"].code == "offering_full"


def test_repair_finishes_a_withdrawal_interrupted_after_its_commit(ports):
    offering = an_offering(ports, capacity=1)
    (a, _), (b, _) = enroll_all(ports, offering, "a", "b")
    ended, events = move(a, "withdraw", ports.clock.now())
    assert ports.enrollments.hold(a, "withdraw")
    assert ports.enrollments.update(a, ended, events)  # ... and the process died here
    ports.clock.advance(minutes=2)

    touched = repair.sweep(ports)

    assert touched == {offering.id}
    assert ports.enrollments.get(b.id).status == "confirmed"
    assert ports.places.holder(offering.id, "a") is None
    assert ports.enrollments.holds == {}


def test_orphan_sweeps_start_where_the_last_one_ended_once_one_read_everything(ports):
    sweeps = ports.sweeps
    first = ports.clock.now()
    repair.sweep(ports, "recent")  # no mark yet: only the last WINDOW, and nothing is noted
    assert sweeps.scans[-1] == (first - repair.ORPHAN_AGE, first - repair.WINDOW)
    assert sweeps.mark is None
    repair.sweep(ports, "all")  # a worker's first pass reads every claim, then notes it
    assert sweeps.scans[-1] == (first - repair.ORPHAN_AGE, None)
    assert sweeps.mark == first - repair.ORPHAN_AGE
    ports.clock.advance(minutes=90)  # longer than WINDOW: say, the worker was down
    later = ports.clock.now()
    repair.sweep(ports, "all")
    assert sweeps.scans[-1] == (later - repair.ORPHAN_AGE,
                                first - repair.ORPHAN_AGE - repair.ORPHAN_AGE)
    assert sweeps.mark == later - repair.ORPHAN_AGE
    repair.sweep(ports, "skip")
    assert len(sweeps.scans) == 3
