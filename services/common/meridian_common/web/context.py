"""Request-scoped context (request id) that also reaches logs and outgoing events."""

from __future__ import annotations

import contextvars
import os
import re

REQUEST_ID_HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def new_request_id() -> str:
    """Return a fresh request id (32 hex digits)."""
    # The same 128 random bits uuid4 draws, without building a UUID object on every request.
    return os.urandom(16).hex()


def accept_request_id(candidate: str | None) -> str:
    """Use the client's id when it is well formed, otherwise mint one (ids end up in logs)."""
    if candidate and _VALID.match(candidate):
        return candidate
    return new_request_id()


def set_request_id(value: str | None) -> contextvars.Token:
    """Bind a request id to the current context."""
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    """Restore the previous request id."""
    _request_id.reset(token)


def current_request_id() -> str | None:
    """The request id bound to this context, if any."""
    return _request_id.get()
