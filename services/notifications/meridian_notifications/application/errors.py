"""What the use cases and ports raise, independent of HTTP and of the database."""

from __future__ import annotations


class NotFound(LookupError):
    """No such resource for this caller."""


class StaleVersion(RuntimeError):
    """Someone stored a newer version first; read again and retry."""


class MailUnavailable(RuntimeError):
    """The mail server could not be reached or answered 4xx: try again later."""


class MailRejected(RuntimeError):
    """The mail server refused the message for good (5xx)."""
