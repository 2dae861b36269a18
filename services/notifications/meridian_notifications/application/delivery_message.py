"""A stored e-mail notification as a MIME message: text + HTML, invitation, RFC 8058 headers."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from ..domain.invitation import Invitation, invitation_ics
from ..domain.notification import Notification
from ..domain.wording import course_label


def _invitation(notification: Notification, organizer: str) -> Invitation:
    facts = notification.data["facts"]
    session = facts["session"]
    return Invitation(
        uid=session["uid"], sequence=int(session["sequence"]), start=session["start"],
        end=session["end"], zone=session["timezone"],
        summary=" ".join(filter(None, [course_label(facts), "·", session["title"]])),
        description=notification.body_text, url=notification.data.get("join_url") or "",
        organizer=organizer, attendee=notification.to_address or "",
        attendee_name=notification.data.get("name") or "",
        cancelled=notification.kind == "session_cancelled", stamp=notification.created_at)


def build_message(notification: Notification, mail_from: str) -> EmailMessage:
    """The message for one e-mail notification (Message-ID derived from its key)."""
    sender = parseaddr(mail_from)[1] or "no-reply@meridian.localhost"
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = formataddr((notification.data.get("name") or "", notification.to_address))
    message["Subject"] = notification.subject
    message["Date"] = format_datetime(notification.created_at)
    # Stable per notification: a resend after a crash carries the same id, so mail stores
    # that deduplicate by Message-ID keep one copy.
    message["Message-ID"] = f"<{notification.key}@{sender.split('@')[-1]}>"
    message["Auto-Submitted"] = "auto-generated"
    message["X-Meridian-Kind"] = notification.kind
    message["X-Meridian-Notification"] = notification.key
    unsubscribe = notification.data.get("unsubscribe_url")
    if unsubscribe:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(notification.body_text)
    message.add_alternative(notification.body_html or notification.body_text, subtype="html")
    if notification.data.get("invitation"):
        method, ics = invitation_ics(_invitation(notification, sender))
        message.add_attachment(ics.decode(), subtype="calendar", filename="invite.ics",
                               params={"method": method})
    # After the body: setting content clears a message's Content-* headers.
    message["Content-Language"] = notification.locale
    return message
