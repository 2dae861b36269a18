"""Why a request is refused, in domain terms; the API maps each kind onto an HTTP status."""

from __future__ import annotations

NOT_FOUND = "not_found"
NOT_ALLOWED = "not_allowed"
CONFLICT = "conflict"
UNPROCESSABLE = "unprocessable"
# Not now, but soon: a retry with the same request may succeed (the API adds Retry-After).
UNAVAILABLE = "unavailable"


class Refusal(Exception):
    """A rule says no: `kind` (one of the constants above), a stable `code`, a human `detail`."""

    def __init__(self, kind: str, code: str, detail: str, **extra):
        super().__init__(detail)
        self.kind = kind
        self.code = code
        self.detail = detail
        self.extra = extra
