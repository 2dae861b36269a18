"""Who may do what, when a session can be joined, and how attendance adds up."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from meridian_classroom.domain.access import can_manage, can_view, is_moderator, join_role
from meridian_classroom.domain.attendance import Visit, summarise
from meridian_classroom.domain.window import join_state

FACULTY = {"u-lead": "lead", "u-ta": "ta"}


@dataclass(frozen=True)
class Caller:
    user_id: str
    roles: frozenset = field(default_factory=frozenset)


@pytest.mark.parametrize("caller,member,manage,view,role", [
    (Caller("u-lead"), False, True, True, "lead"),
    (Caller("u-ta", frozenset({"student"})), False, True, True, "ta"),
    (Caller("u-stu", frozenset({"student"})), True, False, True, "student"),
    (Caller("u-out", frozenset({"student"})), False, False, False, None),
    (Caller("u-other-teacher", frozenset({"instructor"})), False, False, False, None),
    (Caller("u-admin", frozenset({"admin"})), False, True, True, None),
])
def test_authorization_matrix(caller, member, manage, view, role):
    assert can_manage(caller, FACULTY) is manage
    assert can_view(caller, FACULTY, member) is view
    assert join_role(caller, FACULTY, member) == role


def test_faculty_moderate_and_students_attend():
    assert is_moderator("lead") and is_moderator("ta") and not is_moderator("student")


START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
END = START + timedelta(hours=1)


@pytest.mark.parametrize("now,state", [
    (START - timedelta(minutes=15, seconds=1), "too_early"),
    (START - timedelta(minutes=15), "open"),
    (START + timedelta(minutes=59, seconds=59), "open"),
    (END, "ended"),
])
def test_join_window(now, state):
    assert join_state(now, START, END, "scheduled") == state


def test_cancelled_sessions_cannot_be_joined():
    assert join_state(START, START, END, "cancelled") == "cancelled"


def test_attendance_merges_overlapping_visits_and_ignores_open_ones():
    def at(minutes):
        return START + timedelta(minutes=minutes)

    visits = [Visit("u-li", "student", at(0), at(20)), Visit("u-li", "student", at(10), at(30)),
              Visit("u-li", "student", at(40), at(50)), Visit("u-ana", "lead", START, None)]
    ana, li = summarise(visits)
    assert li["duration_seconds"] == 40 * 60 and li["joins"] == 3
    assert li["last_left_at"] == START + timedelta(minutes=50)
    assert ana["duration_seconds"] is None and ana["role"] == "lead"
