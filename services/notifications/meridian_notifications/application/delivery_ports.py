"""Ports of the delivery pipeline (read models, batched stores, renderer, mailer, clock)."""

from __future__ import annotations

import queue
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from ..domain.notification import Notification
from ..domain.reminder import ScheduledReminder
from .ports import Clock, PreferencesRepo, ReplanRequests

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

    def upcoming_sessions_of(self, user_id: str, after: datetime) -> list[SessionFacts]:
        """Scheduled sessions after `after` the user takes part in: of offerings they are a
        confirmed student or faculty of, or that they teach."""


class Outbox(Protocol):
    """Notifications, stored and claimed in batches."""

    def insert_many_if_absent(self, notifications: list[Notification]) -> int:
        """Store those whose keys are new; returns how many were stored."""

    def claim_batch(self, now: datetime, limit: int) -> list[Notification]:
        """Up to `limit` due e-mails (not digest items), each claimed by this caller alone."""

    def claim(self, due: list[Notification], now: datetime) -> list[Notification]:
        """Those of `due` this caller now holds the claim of."""

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

    def scheduled_for(self, recipient: str) -> list[ScheduledReminder]:
        """The recipient's scheduled jobs, of every session."""

    def forget(self, keys: list[str]) -> int:
        """Delete scheduled jobs by key (a forgotten key can be planned again)."""


class Renderer(Protocol):
    def render(self, kind: str, facts: dict, name: str, locale: str, zone: str, links): ...


class BatchMailer(Protocol):
    def send_many(self, messages: list[EmailMessage]) -> list[Outcome]:
        """Send over one connection; one outcome per message, in order."""


class FreshMail:
    """E-mails just planned by this process, handed to its sender without a database scan.

    Only a hint: the sender still claims each one, and the scan of due e-mails finds
    whatever this queue never delivered (a restart, a retry, another worker's fan-out).
    """

    def __init__(self, limit: int = 50_000):
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._size = 0
        self.limit = limit

    def put(self, notifications: list[Notification]) -> None:
        """Offer new e-mails (dropped when the queue is full: the scan finds them)."""
        if self._size + len(notifications) <= self.limit:
            self._size += len(notifications)
            self._queue.put(notifications)

    def take(self, limit: int) -> list[Notification]:
        """Up to about `limit` offered e-mails, without waiting."""
        taken: list[Notification] = []
        while len(taken) < limit:
            try:
                batch = self._queue.get_nowait()
            except queue.Empty:
                break
            self._size -= len(batch)
            taken.extend(batch)
        return taken


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
    fresh: FreshMail = field(default_factory=FreshMail)
    replans: ReplanRequests | None = None
