"""A course's teaching team, and the consent that joining it takes.

The catalog has no directory of people: who belongs to which institution is known only from
each person's own verified token. So a member listed by someone else is invited, and becomes
active (announced to enrollment and the classroom, bookable for live sessions) only when they
accept with their own token. A platform admin's list, and people listing themselves, need no
invitation.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from .refusals import Forbidden, NotFound

ACTIVE, INVITED = "active", "invited"


@dataclass
class FacultyMember:
    """One member of a course's teaching team (invited until they accept)."""

    user_id: str
    role: str
    status: str = ACTIVE
    invitation_id: str | None = None


def invitation_id(course_id: str) -> str:
    """A fresh invitation id that names its course (so it is found without a scan)."""
    return f"{course_id}~{secrets.token_hex(10)}"


def course_of(invitation: str) -> str:
    """The course an invitation id belongs to."""
    return invitation.split("~", 1)[0]


def assign(course_id: str, current: list[FacultyMember], wanted: list[dict], user_id: str,
           is_platform_admin: bool) -> list[FacultyMember]:
    """The team after `user_id` lists `wanted`: members already active stay so (with their new
    role), the rest are invited unless a platform admin lists them or they list themselves."""
    known = {m.user_id: m for m in current}
    team = []
    for entry in wanted:
        member, before = entry["user_id"], known.get(entry["user_id"])
        if before is not None:
            team.append(replace(before, role=entry["role"]))
        elif is_platform_admin or member == user_id:
            team.append(FacultyMember(member, entry["role"]))
        else:
            team.append(FacultyMember(member, entry["role"], INVITED, invitation_id(course_id)))
    return team


def active(team: list[FacultyMember]) -> list[FacultyMember]:
    """The members who teach: those who accepted, or never needed to."""
    return [m for m in team if m.status == ACTIVE]


def _invited(team: list[FacultyMember], invitation: str, user_id: str) -> FacultyMember:
    member = next((m for m in team if m.invitation_id == invitation and m.status == INVITED),
                  None)
    if member is None:
        raise NotFound("invitation", invitation)
    if member.user_id != user_id:
        raise Forbidden("Only the person invited may answer this invitation.")
    return member


def accept(team: list[FacultyMember], invitation: str, user_id: str) -> list[FacultyMember]:
    """The team once the invitee accepted."""
    chosen = _invited(team, invitation, user_id)
    return [replace(m, status=ACTIVE, invitation_id=None) if m is chosen else m for m in team]


def decline(team: list[FacultyMember], invitation: str, user_id: str) -> list[FacultyMember]:
    """The team once the invitee declined (they leave it)."""
    chosen = _invited(team, invitation, user_id)
    return [m for m in team if m is not chosen]
