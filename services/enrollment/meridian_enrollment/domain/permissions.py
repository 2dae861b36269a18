"""Who may do what with enrollments."""

from __future__ import annotations

from typing import Protocol

from .refusals import NOT_ALLOWED, Refusal


class Caller(Protocol):
    user_id: str
    roles: frozenset[str]
    institution_id: str | None


def is_course_admin(caller: Caller, provider_institution_id: str) -> bool:
    """Platform admins, and institution admins of the providing institution."""
    if "admin" in caller.roles:
        return True
    return ("institution_admin" in caller.roles and caller.institution_id is not None
            and caller.institution_id == provider_institution_id)


def is_course_staff(caller: Caller, faculty: list[dict], provider_institution_id: str) -> bool:
    """Course admins and the course's faculty (lead, instructors, teaching assistants)."""
    if is_course_admin(caller, provider_institution_id):
        return True
    return any(member.get("user_id") == caller.user_id for member in faculty)


def can_read_enrollment(caller: Caller, student_id: str, faculty: list[dict],
                        provider_institution_id: str) -> bool:
    """The student, course staff and admins."""
    return caller.user_id == student_id or is_course_staff(caller, faculty,
                                                           provider_institution_id)


def can_withdraw(caller: Caller, student_id: str) -> bool:
    """The student and platform admins."""
    return caller.user_id == student_id or "admin" in caller.roles


def bulk_institution(caller: Caller, requested: str | None) -> str | None:
    """The institution whose students a bulk call enrolls (the caller's own, or any for admins)."""
    if "admin" in caller.roles:
        return requested or caller.institution_id
    if "institution_admin" not in caller.roles:
        raise Refusal(NOT_ALLOWED, "forbidden_role",
                      "Bulk enrollment is for institution admins and platform admins.")
    if not caller.institution_id:
        raise Refusal(NOT_ALLOWED, "no_institution", "Your account names no institution.")
    if requested and requested != caller.institution_id:
        raise Refusal(NOT_ALLOWED, "other_institution",
                      "Institution admins enroll only their own institution's students.")
    return caller.institution_id
