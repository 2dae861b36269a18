"""The small interfaces the use cases call; `adapters/` implements them on MongoDB and SMTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from ..domain.notification import Notification
from ..domain.preferences import NotificationPreferences
from ..domain.reminder import ScheduledReminder


@dataclass(frozen=True)
class Identity:
    """What the verified token said about its holder (each may be missing)."""

    user_id: str
    email: str | None = None
    name: str | None = None
    locale: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class ReplanRequest:
    """A user's reminder offsets changed (to `version`): their jobs are to be planned anew."""

    key: str
    user_id: str
    version: int
    requested_at: datetime


class ReplanRequests(Protocol):
    """Durable requests to re-plan a user's reminders (the API asks, the worker does it)."""

    def request(self, user_id: str, version: int, at: datetime) -> None:
        """Ask for a re-plan once the user's preferences reach `version` (idempotent)."""

    def pending(self, limit: int) -> list[ReplanRequest]:
        """Requests not yet done, oldest first."""

    def done(self, request: ReplanRequest) -> None:
        """Forget a request that was carried out."""


class Clock(Protocol):
    def now(self) -> datetime: ...


class PreferencesRepo(Protocol):
    """Users' preferences: the token's identity and the user's own choices."""

    def get(self, user_id: str) -> NotificationPreferences | None:
        """The stored preferences, or None when the user never appeared."""

    def record_identity(self, identity: Identity) -> None:
        """Remember the address, name, locale and zone the token carried (when changed)."""

    def save(self, prefs: NotificationPreferences) -> NotificationPreferences:
        """Store `prefs` as the version after `prefs.version`; StaleVersion when taken."""

    def many(self, user_ids: list[str]) -> dict[str, NotificationPreferences]:
        """Stored preferences of the users that have any."""


class NotificationsRepo(Protocol):
    """Stored notifications, at most one per key."""

    def insert_if_absent(self, notification: Notification) -> bool:
        """Store it unless its key exists; True when this call stored it."""

    def get(self, key: str) -> Notification | None: ...

    def claim_due(self, now: datetime, limit: int) -> list[Notification]:
        """Up to `limit` e-mails due by `now`, each claimed for this caller alone."""

    def mark_sent(self, notification: Notification) -> None:
        """Store the state after a delivery (`Notification.delivered`)."""

    def mark_failed(self, notification: Notification) -> None:
        """Store the state after a failed attempt (`Notification.failed`)."""

    def inbox(self, recipient: str, unread_only: bool, skip: int,
              limit: int) -> tuple[list[Notification], int]:
        """The recipient's portal notices, newest first, and how many match."""

    def unread_count(self, recipient: str) -> int: ...

    def mark_read(self, key: str, recipient: str, at: datetime) -> Notification | None:
        """Mark the recipient's notice read; None when it is not theirs or unknown."""

    def failures(self, skip: int, limit: int) -> tuple[list[Notification], int]:
        """Permanently failed deliveries, newest first, and how many there are."""

    def due_count(self, now: datetime) -> int:
        """E-mails waiting to be sent by `now` (the queue depth)."""


class RemindersRepo(Protocol):
    """Durable reminder jobs, found by due time."""

    def add(self, reminders: list[ScheduledReminder]) -> int:
        """Store the reminders whose keys are new; returns how many were stored."""

    def due(self, now: datetime, limit: int) -> list[ScheduledReminder]:
        """Scheduled reminders due by `now`, earliest first."""

    def of_session(self, session_id: str) -> list[ScheduledReminder]:
        """Every scheduled reminder of one session."""

    def mark(self, reminder: ScheduledReminder) -> None:
        """Store a reminder's new state (fired or dropped)."""


class Mailer(Protocol):
    """Hands one message to the mail server; raises MailRejected or MailUnavailable."""

    def send(self, message: EmailMessage) -> None: ...
