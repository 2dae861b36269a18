"""What each kind of mail says, as template variables formatted for one reader (no I/O).

Texts here are English message ids; the renderer looks them up in the reader's catalogue.
"""

from __future__ import annotations

from . import kinds, timefmt


def N_(message: str) -> str:
    """Mark `message` for extraction; it is translated when rendered."""
    return message


SUBJECTS = {
    kinds.ENROLLMENT_CONFIRMED: N_("You are enrolled in %(course)s"),
    kinds.ENROLLMENT_WAITLISTED: N_("Waitlist position %(position)s for %(course)s"),
    kinds.ENROLLMENT_PROMOTED: N_("A place opened up: you are enrolled in %(course)s"),
    kinds.ENROLLMENT_WITHDRAWN: N_("You have withdrawn from %(course)s"),
    kinds.LOTTERY_RESULT: N_("Lottery result for %(course)s"),
    kinds.OFFERING_CANCELLED: N_("Cancelled: %(course)s"),
    kinds.SESSION_SCHEDULED: N_("New session: %(session)s on %(when)s"),
    kinds.SESSION_RESCHEDULED: N_("Session moved: %(session)s now on %(when)s"),
    kinds.SESSION_CANCELLED: N_("Session cancelled: %(session)s on %(when)s"),
    kinds.REMINDER: N_("Starts in %(offset)s: %(session)s"),
    kinds.DIGEST: N_("Your Meridian digest: %(count)s updates"),
}
SESSION_KINDS = {"lecture": N_("Lecture"), "seminar": N_("Seminar"),
                 "workshop": N_("Workshop"), "office_hours": N_("Office hours")}


def course_label(facts: dict) -> str:
    """`SURG-101 Surgical skills`, or whatever part of it is known."""
    label = " ".join(p for p in (facts.get("course_code"), facts.get("course_title")) if p)
    return label or facts.get("offering_id") or ""


def variables(kind: str, facts: dict, locale: str, zone: str) -> dict:
    """The template variables of one mail: facts plus every time worded for the reader."""
    out = {"kind": kind, "course": course_label(facts), "position": facts.get("waitlist_position"),
           "draw": facts.get("draw") or {}, "count": len(facts.get("items") or ())}
    session = facts.get("session")
    if session:
        out.update(session=session.get("title", ""),
                   session_kind=SESSION_KINDS.get(session.get("kind"), N_("Lecture")),
                   when=timefmt.when(session["start"], zone, locale),
                   ends=timefmt.clock_time(session["end"], zone, locale),
                   old_when=(timefmt.when(session["previous_start"], zone, locale)
                             if session.get("previous_start") else None))
    if facts.get("offset_minutes"):
        out["offset"] = timefmt.duration(int(facts["offset_minutes"]), locale)
    return out
