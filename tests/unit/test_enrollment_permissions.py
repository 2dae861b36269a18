"""Who may read, withdraw, see rosters, draw and enroll in bulk."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from meridian_enrollment.domain.permissions import (
    bulk_institution,
    can_read_enrollment,
    can_withdraw,
    is_course_admin,
    is_course_staff,
)
from meridian_enrollment.domain.refusals import Refusal

FACULTY = [{"user_id": "prof", "role": "lead"}, {"user_id": "ta-1", "role": "ta"}]


@dataclass(frozen=True)
class Caller:
    user_id: str
    roles: frozenset = field(default_factory=frozenset)
    institution_id: str | None = None


def caller(user_id, *roles, institution=None):
    return Caller(user_id, frozenset(roles), institution)


def test_student_reads_own_enrollment_but_not_anothers():
    assert can_read_enrollment(caller("s1", "student"), "s1", FACULTY, "ins-p")
    assert not can_read_enrollment(caller("s2", "student"), "s1", FACULTY, "ins-p")


def test_course_staff_and_admins_read_enrollments():
    assert can_read_enrollment(caller("ta-1", "instructor"), "s1", FACULTY, "ins-p")
    assert can_read_enrollment(caller("root", "admin"), "s1", FACULTY, "ins-p")
    assert can_read_enrollment(caller("ia", "institution_admin", institution="ins-p"), "s1",
                               FACULTY, "ins-p")
    assert not can_read_enrollment(caller("other-prof", "instructor"), "s1", FACULTY, "ins-p")


def test_only_the_student_and_admins_withdraw():
    assert can_withdraw(caller("s1", "student"), "s1")
    assert can_withdraw(caller("root", "admin"), "s1")
    assert not can_withdraw(caller("prof", "instructor"), "s1")
    assert not can_withdraw(caller("s2", "student"), "s1")


def test_course_admins_are_admins_and_the_providers_institution_admins():
    assert is_course_admin(caller("root", "admin"), "ins-p")
    assert is_course_admin(caller("ia", "institution_admin", institution="ins-p"), "ins-p")
    assert not is_course_admin(caller("ia", "institution_admin", institution="ins-x"), "ins-p")
    assert not is_course_admin(caller("prof", "instructor", institution="ins-p"), "ins-p")
    assert not is_course_staff(caller("ia", "institution_admin"), [], "")


def test_institution_admins_bulk_enroll_their_own_institution_only():
    admin_of_x = caller("ia", "institution_admin", institution="ins-x")
    assert bulk_institution(admin_of_x, None) == "ins-x"
    assert bulk_institution(admin_of_x, "ins-x") == "ins-x"
    with pytest.raises(Refusal) as refused:
        bulk_institution(admin_of_x, "ins-y")
    assert refused.value.code == "other_institution"


def test_platform_admins_bulk_enroll_for_any_institution():
    assert bulk_institution(caller("root", "admin"), "ins-y") == "ins-y"
    assert bulk_institution(caller("root", "admin", institution="ins-z"), None) == "ins-z"


@pytest.mark.parametrize("who", [caller("s1", "student", institution="ins-x"),
                                 caller("ia", "institution_admin")])
def test_others_cannot_bulk_enroll(who):
    with pytest.raises(Refusal) as refused:
        bulk_institution(who, None)
    assert refused.value.kind == "not_allowed"
