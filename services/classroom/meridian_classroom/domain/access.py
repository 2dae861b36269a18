"""Who may see, schedule and join an offering's sessions."""

from __future__ import annotations

from typing import Protocol

FACULTY_ROLES = ("lead", "instructor", "ta")


class Caller(Protocol):
    user_id: str
    roles: frozenset[str]


def is_admin(caller: Caller) -> bool:
    """Platform administrators."""
    return "admin" in caller.roles


def can_manage(caller: Caller, faculty: dict[str, str]) -> bool:
    """Course faculty (lead, instructor, TA) and platform admins schedule sessions."""
    return caller.user_id in faculty or is_admin(caller)


def can_view(caller: Caller, faculty: dict[str, str], confirmed_member: bool) -> bool:
    """Confirmed roster members, faculty and platform admins see the sessions."""
    return confirmed_member or can_manage(caller, faculty)


def join_role(caller: Caller, faculty: dict[str, str], confirmed_member: bool) -> str | None:
    """The role someone joins a live session in, or None when they may not join at all.

    Admins are not let in by their role alone: a live class is for its cohort and its staff.
    """
    if caller.user_id in faculty:
        return faculty[caller.user_id]
    if confirmed_member:
        return "student"
    return None


def is_moderator(role: str) -> bool:
    """Faculty moderate meetings; students attend."""
    return role in FACULTY_ROLES
