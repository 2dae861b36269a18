"""What a use case refuses, without HTTP: `api/errors.py` maps each to its status."""

from __future__ import annotations

from meridian_common.conflicts import Conflict


class NotFound(LookupError):
    """No such session or offering (404)."""


class Forbidden(PermissionError):
    """The caller is known but lacks the right (403)."""


class Unprocessable(ValueError):
    """Input that is well-formed but cannot be done (422); `errors` maps fields to messages."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None,
                 code: str | None = None):
        super().__init__(message)
        self.errors = errors
        self.code = code


class Unavailable(RuntimeError):
    """A dependency (the meeting provider) did not answer (503, retry after a pause)."""


class ScheduleBusy(Conflict):
    """Another change to the same schedule held the lease too long (409, retry in 1 s)."""

    def __init__(self, message: str = "Another change to this schedule is in progress; "
                                      "retry shortly."):
        super().__init__("schedule_busy", message)
