"""Reading what Meridian sent from the stack's Mailpit, through Mailpit's HTTP API."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage

import icalendar
import requests

from tests.support import env, wait_for


class Mailbox:
    """The messages Mailpit holds for one address (tests use unique addresses)."""

    def __init__(self, address: str, base: str | None = None):
        self.address = address
        self.base = (base or env("MAIL_URL")).rstrip("/")

    def summaries(self) -> list[dict]:
        """Mailpit's summaries of every message to this address."""
        answer = requests.get(f"{self.base}/api/v1/search", timeout=30,
                              params={"query": f"to:{self.address}", "limit": 500})
        answer.raise_for_status()
        return [m for m in answer.json()["messages"]
                if any(to["Address"] == self.address for to in m["To"])]

    def raw(self, message_id: str) -> EmailMessage:
        """One message, parsed with the `email` package."""
        answer = requests.get(f"{self.base}/api/v1/message/{message_id}/raw", timeout=30)
        answer.raise_for_status()
        return email.message_from_bytes(answer.content, policy=policy.default)

    def with_kind(self, kind: str) -> list[EmailMessage]:
        """Every message of one notification kind (the `X-Meridian-Kind` header)."""
        found = [self.raw(s["ID"]) for s in self.summaries()]
        return [m for m in found if m["X-Meridian-Kind"] == kind]

    def wait_for_kind(self, kind: str, count: int = 1, timeout: float = 120.0,
                      where=lambda _m: True) -> list[EmailMessage]:
        """Wait until `count` messages of `kind` (matching `where`) arrived; returns them."""
        def arrived():
            found = [m for m in self.with_kind(kind) if where(m)]
            return found if len(found) >= count else None
        return wait_for(arrived, timeout=timeout, interval=0.5,
                        message=f"{count} {kind} mail(s) to {self.address}")


def text_of(message: EmailMessage) -> str:
    """The plain-text part."""
    return message.get_body(("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    """The HTML part."""
    return message.get_body(("html",)).get_content()


def invitation(message: EmailMessage) -> tuple[icalendar.Calendar, icalendar.Event]:
    """The text/calendar attachment and its one VEVENT."""
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(part.get_content())
    (event,) = calendar.walk("VEVENT")
    return calendar, event
