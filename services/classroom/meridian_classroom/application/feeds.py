"""Calendar feeds: a secret per user (only its hash is stored) and the sessions it shows."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from ..domain.ics import FeedEntry, build_calendar, calendar_uid
from ..domain.session import CANCELLED, Session
from .classroom import Classroom
from .reading import offerings_of

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,128}$")
HISTORY = timedelta(days=90)
MAX_EVENTS = 2000
KIND_LABELS = {"lecture": "Lecture", "seminar": "Seminar", "workshop": "Workshop",
               "office_hours": "Office hours"}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(app: Classroom, user_id: str) -> tuple[str, datetime]:
    """A new secret for the user's feed; any earlier URL stops working."""
    token, now = secrets.token_urlsafe(32), app.clock.now()
    app.feeds.replace(user_id, _hash(token), now)
    return token, now


def holder(app: Classroom, token: str) -> str | None:
    """The user a feed token belongs to, or None for unknown and revoked tokens."""
    if not TOKEN_PATTERN.match(token):
        return None
    return app.feeds.holder(_hash(token))


def _entry(session: Session, course: tuple[str, str]) -> FeedEntry:
    kind = KIND_LABELS[session.kind]
    code, title = course
    heading = f"{code} {kind}: {session.title}" if code else f"{kind}: {session.title}"
    description = "\n".join(filter(None, [
        f"{kind} of {code} {title}".rstrip() if code or title else kind,
        f"Instructors: {', '.join(session.instructors)}",
        "Join from your Meridian timetable; joining opens 15 minutes before the start.",
        f"Scheduled for {session.wall_start.replace('T', ' ')} ({session.timezone})."]))
    return FeedEntry(uid=calendar_uid(session.id), start=session.start, end=session.end,
                     zone=session.timezone, summary=heading, description=description,
                     location="Online (Meridian)", category=kind,
                     cancelled=session.status == CANCELLED, sequence=session.sequence,
                     created=session.created_at, modified=session.updated_at)


def calendar_for(app: Classroom, user_id: str) -> bytes:
    """The iCalendar document of every recent and coming session of the user's offerings."""
    as_student, as_faculty = offerings_of(app, user_id)
    offering_ids = sorted(set(as_student) | set(as_faculty))
    sessions: list[Session] = []
    if offering_ids:
        sessions, _total = app.sessions.page(offering_ids, app.clock.now() - HISTORY, None,
                                             None, 0, MAX_EVENTS)
    labels = app.catalog.labels(offering_ids) if offering_ids else {}
    return build_calendar([_entry(s, labels.get(s.offering_id, ("", ""))) for s in sessions],
                          "Meridian timetable")


def revoke(app: Classroom, user_id: str) -> bool:
    """Invalidate the user's feed URL; False when there was none."""
    return app.feeds.revoke(user_id)


def issued_at(app: Classroom, user_id: str) -> datetime | None:
    """When the user's current feed was issued, if there is one."""
    return app.feeds.created_at(user_id)
