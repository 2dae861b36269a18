"""A stored e-mail notification as a MIME message: text + HTML, invitation, RFC 8058 headers.

Built with the `email.mime` classes on the compat32 policy: `EmailMessage` parses every
header it is given through the header registry, which made building a fan-out's mails most
of the sender's time (the bytes on the wire are the same kind of multipart message).
"""

from __future__ import annotations

from email.charset import BASE64, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, parseaddr

from ..domain.invitation import Invitation, invitation_ics
from ..domain.notification import Notification
from ..domain.wording import course_label

_UTF8 = Charset("utf-8")
_UTF8.header_encoding = _UTF8.body_encoding = BASE64
# compat32 folds any header past 78 characters, and a List-Unsubscribe folded right after its
# colon reads back with a leading space; RFC 5322 allows 998 (encoded words fold themselves).
_POLICY = compat32.clone(max_line_length=998)


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


def _text(body: str, subtype: str) -> MIMEText:
    """A text part: 7-bit when it is ASCII, else UTF-8 in base64."""
    if body.isascii():
        return MIMEText(body, subtype, "us-ascii")
    return MIMEText(body, subtype, _UTF8)


def _header(value: str) -> str:
    """ASCII as it is, anything else as RFC 2047 encoded words of at most 76 characters."""
    return value if value.isascii() else Header(value, _UTF8).encode(maxlinelen=76)


def build_message(notification: Notification, mail_from: str) -> Message:
    """The message for one e-mail notification (Message-ID derived from its key)."""
    sender = parseaddr(mail_from)[1] or "no-reply@meridian.localhost"
    body = MIMEMultipart("alternative", policy=_POLICY)
    body.attach(_text(notification.body_text, "plain"))
    body.attach(_text(notification.body_html or notification.body_text, "html"))
    message = body
    if notification.data.get("invitation"):
        method, ics = invitation_ics(_invitation(notification, sender))
        invite = _text(ics.decode(), "calendar")
        invite.set_param("method", method)
        invite.add_header("Content-Disposition", "attachment", filename="invite.ics")
        message = MIMEMultipart("mixed", policy=_POLICY)
        message.attach(body)
        message.attach(invite)
    message["From"] = mail_from
    message["To"] = formataddr((notification.data.get("name") or "", notification.to_address),
                               charset=_UTF8)
    message["Subject"] = _header(notification.subject)
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
    message["Content-Language"] = notification.locale
    return message
