"""How stored things are shown: RFC 3339 in UTC, the fields each schema documents."""

from __future__ import annotations

from datetime import UTC, datetime

from ..domain.notification import Notification
from ..domain.preferences import NotificationPreferences


def utc_text(value: datetime | None) -> str | None:
    """RFC 3339 in UTC with `Z`."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def preferences_view(prefs: NotificationPreferences) -> dict:
    """The public shape of a user's preferences."""
    return {"email": prefs.email, "name": prefs.name, "locale": prefs.locale,
            "timezone": prefs.timezone,
            "channels": {"email": prefs.channels.email, "portal": prefs.channels.portal},
            "reminders_minutes": list(prefs.reminders_minutes), "digest": prefs.digest,
            "email_deliverable": prefs.emails_wanted, "updated_at": utc_text(prefs.updated_at)}


def notice_view(notice: Notification) -> dict:
    """One inbox entry."""
    return {"id": notice.key, "kind": notice.kind, "subject": notice.subject,
            "body": notice.body_text, "link": notice.link, "data": notice.data,
            "created_at": utc_text(notice.created_at), "read_at": utc_text(notice.read_at),
            "read": not notice.unread}


def failure_view(notice: Notification) -> dict:
    """One permanently failed delivery, for admins."""
    return {"id": notice.key, "event_id": notice.event_id, "recipient": notice.recipient,
            "to_address": notice.to_address, "kind": notice.kind, "subject": notice.subject,
            "attempts": notice.attempts, "last_error": notice.last_error,
            "created_at": utc_text(notice.created_at)}
