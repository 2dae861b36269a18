"""Calendar feeds: a secret per user (only its hash is stored) and the sessions it shows."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from meridian_common.events.envelope import as_utc, utcnow

from .domain.ics import FeedEntry, build_calendar
from .models import CalendarFeed
from .readmodels import course_labels, offerings_of
from .sessioncache import SessionRow
from .sessionreads import in_order

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,128}$")
HISTORY = timedelta(days=90)
MAX_EVENTS = 2000
KIND_LABELS = {"lecture": "Lecture", "seminar": "Seminar", "workshop": "Workshop",
               "office_hours": "Office hours"}


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user_id: str) -> tuple[str, datetime]:
    """A new secret for the user's feed; any earlier URL stops working."""
    token, now = secrets.token_urlsafe(32), utcnow()
    CalendarFeed._get_collection().replace_one(
        {"_id": user_id}, {"token_hash": _hash(token), "created_at": now}, upsert=True)
    return token, now


def revoke(user_id: str) -> bool:
    """Invalidate the user's feed URL; False when there was none."""
    return CalendarFeed._get_collection().delete_one({"_id": user_id}).deleted_count > 0


def status(user_id: str) -> datetime | None:
    """When the user's current feed was issued, if there is one."""
    row = CalendarFeed._get_collection().find_one({"_id": user_id}, {"created_at": 1})
    return as_utc(row["created_at"]) if row else None


def holder(token: str) -> str | None:
    """The user a feed token belongs to, or None for unknown and revoked tokens."""
    if not TOKEN_PATTERN.match(token):
        return None
    row = CalendarFeed._get_collection().find_one({"token_hash": _hash(token)}, {"_id": 1})
    return row["_id"] if row else None


def _entry(session: SessionRow, course: tuple[str, str]) -> FeedEntry:
    kind = KIND_LABELS[session.kind]
    code, title = course
    heading = f"{code} {kind}: {session.title}" if code else f"{kind}: {session.title}"
    description = "\n".join(filter(None, [
        f"{kind} of {code} {title}".rstrip() if code or title else kind,
        f"Instructors: {', '.join(session.instructors)}",
        "Join from your Meridian timetable; joining opens 15 minutes before the start.",
        f"Scheduled for {session.wall_start.replace('T', ' ')} ({session.timezone})."]))
    return FeedEntry(uid=f"{session.id}@meridian", start=as_utc(session.start),
                     end=as_utc(session.end), zone=session.timezone,
                     summary=heading,
                     description=description, location="Online (Meridian)",
                     category=kind, cancelled=session.status == "cancelled",
                     sequence=session.sequence, created=as_utc(session.created_at),
                     modified=as_utc(session.updated_at))


def calendar_for(user_id: str) -> bytes:
    """The iCalendar document of every recent and coming session of the user's offerings."""
    as_student, as_faculty = offerings_of(user_id)
    offering_ids = sorted(set(as_student) | set(as_faculty))
    sessions = in_order(offering_ids, begin=utcnow() - HISTORY)[:MAX_EVENTS]
    labels = course_labels(offering_ids) if offering_ids else {}
    return build_calendar([_entry(s, labels.get(s.offering_id, ("", ""))) for s in sessions],
                          "Meridian timetable")
