"""A person's own attendance history on in-memory fakes: own joins only, newest first."""

from __future__ import annotations

from datetime import timedelta

from meridian_classroom.application import joining
from meridian_classroom.application.history import my_attendance
from meridian_classroom.domain.attendance import OwnVisit
from tests.unit.classroom_fakes import FakeClock, Person
from tests.unit.test_classroom_use_cases import STUDENT, series, world


def test_a_student_sees_their_own_joins_newest_first_with_the_session():
    clock = FakeClock()
    app = world(clock)
    _series_id, (first, second) = series(app, "2027-03-15T14:00", count=2)
    clock.at = first.start
    early = joining.join(app, STUDENT, first.id)
    joining.join(app, Person("u-ta"), first.id)
    clock.at = second.start + timedelta(minutes=5)
    late = joining.join(app, STUDENT, second.id)
    app.attendance.record_leave(app.attendance.joins[0], first.start + timedelta(minutes=42,
                                                                                 seconds=30))
    entries, total = my_attendance(app, "u-stu", 1, 20)
    assert total == 2
    assert [e.visit.id for e in entries] == [late.attendance_id, early.attendance_id]
    assert [e.session.id for e in entries] == [second.id, first.id]
    assert [e.visit.duration_minutes for e in entries] == [None, 42]
    page_two, total = my_attendance(app, "u-stu", 2, 1)
    assert [e.visit.id for e in page_two] == [early.attendance_id] and total == 2
    assert my_attendance(app, "u-nobody", 1, 20) == ([], 0)


def test_a_departure_before_the_join_never_counts_negative_minutes():
    clock = FakeClock()
    visit = OwnVisit("att_1", "ses_1", "off-a", clock.at, clock.at - timedelta(minutes=3))
    assert visit.duration_minutes == 0
