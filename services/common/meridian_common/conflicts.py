"""A domain conflict: the request is valid but collides with the current state (HTTP 409)."""

from __future__ import annotations


class Conflict(Exception):
    """Raised by domain and adapters; the web layer answers it as 409 problem+json.

    `code` is the machine-readable reason (`duplicate`, `concurrent_update`, ...), `message`
    the human one, and `extra` optional members added to the problem body.
    """

    def __init__(self, code: str, message: str, extra: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = dict(extra or {})

    def __repr__(self) -> str:
        return f"Conflict({self.code!r}, {self.message!r}, {self.extra!r})"
