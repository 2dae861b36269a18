"""One notice to one recipient on one channel, and its delivery state machine."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

CHANNELS = ("email", "portal")
PENDING, SENT, FAILED, PERMANENTLY_FAILED = "pending", "sent", "failed", "permanently_failed"
STATES = (PENDING, SENT, FAILED, PERMANENTLY_FAILED)
DUE_STATES = (PENDING, FAILED)
MAX_ATTEMPTS = 8
_FIRST_RETRY = timedelta(seconds=5)
_LONGEST_RETRY = timedelta(minutes=30)


def notification_key(event_id: str, recipient: str, channel: str) -> str:
    """The one id a notification of `event_id` to `recipient` on `channel` can have."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    digest = hashlib.sha256(f"{event_id}\n{recipient}\n{channel}".encode()).hexdigest()
    return f"ntf_{digest[:32]}"


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: doubling from 5 s, at most 30 min."""
    # The exponent is capped first: 2**n seconds overflows timedelta long before n = 50.
    return min(_FIRST_RETRY * (2 ** min(max(attempts - 1, 0), 16)), _LONGEST_RETRY)


@dataclass(frozen=True)
class Notification:
    """A rendered notice; e-mails wait in `pending` for the sender, portal notices are sent."""

    key: str
    event_id: str
    recipient: str
    kind: str
    channel: str
    subject: str
    body_text: str
    created_at: datetime
    body_html: str = ""
    link: str | None = None
    to_address: str | None = None
    locale: str = "en"
    data: dict = field(default_factory=dict)
    state: str = PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    sent_at: datetime | None = None
    read_at: datetime | None = None

    @property
    def unread(self) -> bool:
        """True until the recipient marked it read."""
        return self.read_at is None

    def delivered(self, at: datetime) -> Notification:
        """The notification once the channel accepted it."""
        return replace(self, state=SENT, sent_at=at, attempts=self.attempts + 1,
                       next_attempt_at=None, last_error=None)

    def failed(self, error: str, at: datetime, *, permanent: bool = False) -> Notification:
        """After a failed attempt: retried later, or given up when permanent or exhausted."""
        attempts = self.attempts + 1
        if permanent or attempts >= MAX_ATTEMPTS:
            return replace(self, state=PERMANENTLY_FAILED, attempts=attempts,
                           next_attempt_at=None, last_error=error[:1000])
        return replace(self, state=FAILED, attempts=attempts, last_error=error[:1000],
                       next_attempt_at=at + retry_delay(attempts))

    def marked_read(self, at: datetime) -> Notification:
        """The notification as read (the first reading time is kept)."""
        return self if self.read_at else replace(self, read_at=at)


def new_notification(*, event_id: str, recipient: str, channel: str, kind: str, subject: str,
                     body_text: str, now: datetime, **extra) -> Notification:
    """A notification keyed by (event, recipient, channel): e-mail due now, portal delivered."""
    key = notification_key(event_id, recipient, channel)
    if channel == "portal":
        return Notification(key=key, event_id=event_id, recipient=recipient, kind=kind,
                            channel=channel, subject=subject, body_text=body_text,
                            created_at=now, state=SENT, sent_at=now, **extra)
    return Notification(key=key, event_id=event_id, recipient=recipient, kind=kind,
                        channel=channel, subject=subject, body_text=body_text, created_at=now,
                        next_attempt_at=now, **extra)
