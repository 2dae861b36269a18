"""Ports of the delivery pipeline (read models, batched stores, renderer, mailer, clock)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from ..domain.notification import Notification
from ..domain.reminder import ScheduledReminder
from .ports import Clock, PreferencesRepo

# Per message: accepted, refused for good (5xx), refused for now (4xx), or never reached the
# server (it could not be contacted, or the connection broke before this message).
SENT_OK, REJECTED, DEFERRED, UNAVAILABLE = "sent", "rejected", "deferred", "unavailable"


@dataclass(frozen=True)
class Outcome:
    """What the mail server said about one message."""

    status: str
    error: str | None = None


@dataclass(frozen=True)
class Rendered:
    """One mail's texts and the locale they were written in."""

    subject: str
    text: str
    html: str
    locale: str


@dataclass(frozen=True)
class Links:
    """Where a mail points: the session in the portal, the settings page, unsubscribing."""

    join_url: str | None
    settings_url: str
    unsubscribe_url: str


@dataclass(frozen=True)
class SessionFacts:
    """A session as the notifications' read model last saw it."""

    session_id: str
    offering_id: str
    title: str
    kind: str
    start: datetime
    end: datetime
    timezone: str
    sequence: int
    status: str
    uid: str
    instructors: tuple[str, ...] = ()


class Directory(Protocol):
    """Read models fed by events: courses, offerings, rosters and sessions."""

    def record_course(self, course_id: str, version: int, code: str, title: str) -> None: ...

    def record_offering(self, offering_id: str, version: int, course_id: str, status: str,
                        faculty: list[str]) -> None: ...

    def record_enrollment(self, offering_id: str, student_id: str, version: int,
                          status: str) -> bool:
        """Store the student's newest status; True when this event was the newest."""

    def record_session(self, facts: SessionFacts) -> bool:
        """Store the session's newest state (by sequence); True when this was the newest."""

    def course_of(self, offering_id: str) -> dict:
        """`{course_code, course_title}` of the offering's course, as far as known."""

    def faculty(self, offering_id: str) -> list[str]: ...

    def students(self, offering_id: str, statuses: tuple[str, ...]) -> list[str]: ...

    def status_of(self, offering_id: str, student_id: str) -> str | None: ...

    def session(self, session_id: str) -> SessionFacts | None: ...

    def upcoming_sessions(self, offering_id: str, after: datetime) -> list[SessionFacts]: ...


class Outbox(Protocol):
    """Notifications, stored and claimed in batches."""

    def insert_many_if_absent(self, notifications: list[Notification]) -> int:
        """Store those whose keys are new; returns how many were stored."""

    def claim_batch(self, now: datetime, limit: int) -> list[Notification]:
        """Up to `limit` due e-mails (not digest items), each claimed by this caller alone."""

    def digest_items(self, now: datetime, limit: int) -> list[Notification]:
        """E-mails held for a digest whose slot is due by `now`."""

    def release(self, notifications: list[Notification]) -> None:
        """Give up claims without an attempt (the server could not be reached)."""

    def mark_many(self, notifications: list[Notification]) -> None:
        """Store each notification's state after its attempt."""


class ReminderJobs(Protocol):
    """Durable reminder jobs, in batches."""

    def add(self, reminders: list[ScheduledReminder]) -> int: ...

    def due(self, now: datetime, limit: int) -> list[ScheduledReminder]: ...

    def mark(self, reminder: ScheduledReminder) -> None: ...

    def drop_session(self, session_id: str, at: datetime,
                     keep_start: datetime | None = None) -> int:
        """Drop the session's scheduled reminders (except those planned for `keep_start`)."""

    def drop_recipient(self, offering_id: str, recipient: str, at: datetime) -> int: ...


class Renderer(Protocol):
    def render(self, kind: str, facts: dict, name: str, locale: str, zone: str, links): ...


class BatchMailer(Protocol):
    def send_many(self, messages: list[EmailMessage]) -> list[Outcome]:
        """Send over one connection; one outcome per message, in order."""


@dataclass
class Delivery:
    """Everything the delivery use cases use."""

    directory: Directory
    preferences: PreferencesRepo
    outbox: Outbox
    reminders: ReminderJobs
    renderer: Renderer
    mailers: list[BatchMailer]
    clock: Clock
    public_url: str
    mail_from: str
    unsubscribe_secret: str
