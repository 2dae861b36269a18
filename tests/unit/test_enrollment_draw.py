"""The lottery draw use case on in-memory ports: reproducible, bounded, applied once."""

from __future__ import annotations

import pytest

from meridian_enrollment.application.draw import run_draw
from meridian_enrollment.application.enroll import enroll
from meridian_enrollment.application.settle import withdraw
from meridian_enrollment.domain import lottery
from meridian_enrollment.domain.refusals import CONFLICT, Refusal
from tests.unit.enrollment_fakes import FakeClock, an_offering, fake_ports

STUDENTS = [f"stu-{i:02d}" for i in range(12)]


def lottery_after_applications(capacity: int = 4, institutions=None):
    clock = FakeClock()
    ports = fake_ports(clock)
    offering = an_offering(ports, selection="lottery", capacity=capacity)
    for student in STUDENTS:
        enroll(ports, offering, student, (institutions or {}).get(student), student)
    clock.advance(days=2)  # the window has closed
    return ports, offering


def outcome(ports, offering):
    rows = ports.enrollments.of_offering(offering.id, ("confirmed", "waitlisted"))
    return ({e.student_id for e in rows if e.status == "confirmed"},
            [e.student_id for e in sorted((e for e in rows if e.status == "waitlisted"),
                                          key=lambda e: e.ticket)])


def test_the_same_seed_and_applicants_give_the_same_draw():
    first_ports, first = lottery_after_applications()
    second_ports, second = lottery_after_applications()
    a = run_draw(first_ports, first, "committee-2027", None, "admin")
    b = run_draw(second_ports, second, "committee-2027", None, "admin")
    assert (a.selected, a.waitlisted) == (b.selected, b.waitlisted)
    expected = lottery.draw("committee-2027", dict.fromkeys(STUDENTS), 4)
    assert a.selected == expected.selected and a.waitlisted == expected.waitlisted
    assert outcome(first_ports, first) == (set(a.selected), a.waitlisted)
    assert a.applied_at is not None


def test_the_draw_selects_no_more_than_capacity_and_honours_quotas():
    institutions = {s: ("ins_a" if i % 2 else "ins_b") for i, s in enumerate(STUDENTS)}
    ports, offering = lottery_after_applications(5, institutions)
    draw = run_draw(ports, offering, "seed-q", {"ins_a": 1}, "admin")
    confirmed, waiting = outcome(ports, offering)
    assert len(confirmed) == len(draw.selected) <= 5
    assert sum(institutions[s] == "ins_a" for s in confirmed) <= 1
    assert len(confirmed) + len(waiting) == len(STUDENTS)
    assert len(ports.seats.holders(offering.id)) == len(confirmed)


def test_a_draw_runs_once_and_later_applications_are_refused():
    ports, offering = lottery_after_applications()
    draw = run_draw(ports, offering, "s1", None, "admin")
    assert run_draw(ports, offering, None, None, "admin").seed == draw.seed
    with pytest.raises(Refusal) as refused:
        run_draw(ports, offering, "other", None, "admin")
    assert (refused.value.kind, refused.value.code) == (CONFLICT, "already_drawn")


def test_the_draw_waits_for_the_window_to_close():
    ports = fake_ports()
    offering = an_offering(ports, selection="lottery")
    with pytest.raises(Refusal) as refused:
        run_draw(ports, offering, None, None, "admin")
    assert refused.value.code == "enrollment_window_open"


def test_after_the_draw_a_withdrawal_promotes_the_first_waiting_applicant():
    ports, offering = lottery_after_applications(capacity=2)
    draw = run_draw(ports, offering, "s2", None, "admin")
    leaver = next(e for e in ports.enrollments.rows.values()
                  if e.student_id == draw.selected[0])
    withdraw(ports, leaver.id)
    confirmed, waiting = outcome(ports, offering)
    assert confirmed == {draw.selected[1], draw.waitlisted[0]}
    assert waiting == draw.waitlisted[1:]


def test_with_more_places_than_applicants_everyone_is_selected():
    ports, offering = lottery_after_applications(capacity=20)
    draw = run_draw(ports, offering, "s3", None, "admin")
    assert draw.places == 20 and sorted(draw.selected) == STUDENTS and draw.waitlisted == []


def test_the_draws_events_tell_each_student_the_seed_and_how_to_re_run_it():
    ports, offering = lottery_after_applications()
    draw = run_draw(ports, offering, "open-seed", None, "admin")
    by_id = {e.id: e.student_id for e in ports.enrollments.of_offering(
        offering.id, ("confirmed", "waitlisted"))}
    told = {by_id[eid]: e.draw for eid, e in ports.enrollments.events if e.draw is not None}
    assert set(told) == set(STUDENTS)
    assert {s for s, facts in told.items() if facts["selected"]} == set(draw.selected)
    facts = told[draw.waitlisted[0]]
    assert (facts["seed"], facts["places"], facts["applicants"]) == ("open-seed", 4, 12)
    assert "open-seed:<id>" in facts["how_to_verify"]
