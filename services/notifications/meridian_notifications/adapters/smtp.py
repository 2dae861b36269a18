"""The mailer on SMTP (smtplib): one connection per batch, STARTTLS and login from settings."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from ..application.delivery_ports import DEFERRED, REJECTED, SENT_OK, UNAVAILABLE, Outcome
from ..application.errors import MailRejected, MailUnavailable
from .config import NotificationsConfig

log = logging.getLogger(__name__)


def _refusal(exc: smtplib.SMTPException) -> Outcome:
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code = min((c for c, _m in exc.recipients.values()), default=550)
    text = f"{code} {getattr(exc, 'smtp_error', b'') or exc}"
    if isinstance(code, int) and 500 <= code < 600:
        return Outcome(REJECTED, text)
    if isinstance(code, int) and 400 <= code < 500:
        return Outcome(DEFERRED, text)
    return Outcome(UNAVAILABLE, text)


class SmtpMailer:
    """The `Mailer` and `BatchMailer` ports on one SMTP relay."""

    def __init__(self, config: NotificationsConfig):
        self.config = config

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        kind = smtplib.SMTP_SSL if c.smtp_ssl else smtplib.SMTP
        connection = kind(c.smtp_host, c.smtp_port, timeout=c.smtp_timeout_seconds)
        if c.smtp_starttls and not c.smtp_ssl:
            connection.starttls()
        if c.smtp_login:
            connection.login(c.smtp_user, c.smtp_password)
        return connection

    def send_many(self, messages: list[EmailMessage]) -> list[Outcome]:
        """Send each message over one connection; one outcome per message, in order."""
        if not messages:
            return []
        try:
            connection = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            return [Outcome(UNAVAILABLE, f"connect: {exc}")] * len(messages)
        outcomes: list[Outcome] = []
        try:
            for message in messages:
                try:
                    connection.send_message(message)
                    outcomes.append(Outcome(SENT_OK))
                except (smtplib.SMTPServerDisconnected, OSError) as exc:
                    log.warning("SMTP connection lost after %d messages: %s", len(outcomes), exc)
                    break
                except smtplib.SMTPException as exc:
                    outcomes.append(_refusal(exc))
                    if outcomes[-1].status == UNAVAILABLE:
                        break
        finally:
            try:
                connection.quit()
            except (OSError, smtplib.SMTPException):
                connection.close()
        outcomes.extend([Outcome(UNAVAILABLE, "connection lost")] * (len(messages) - len(outcomes)))
        return outcomes

    def send(self, message: EmailMessage) -> None:
        """Send one message; MailRejected (5xx) or MailUnavailable (anything else)."""
        (outcome,) = self.send_many([message])
        if outcome.status == REJECTED:
            raise MailRejected(outcome.error)
        if outcome.status != SENT_OK:
            raise MailUnavailable(outcome.error)
