"""Why a command is refused, in domain terms (the api layer turns these into problem+json).

Conflicts with the current state use `meridian_common.conflicts.Conflict`; these are the
other refusals a use case can give.
"""

from __future__ import annotations


class NotFound(Exception):
    """No such aggregate, or one the caller may not see."""

    def __init__(self, kind: str, identifier: str):
        super().__init__(f"No {kind} with id '{identifier}'.")
        self.kind = kind
        self.identifier = identifier


class Forbidden(Exception):
    """The caller is known but lacks the right."""


class Invalid(Exception):
    """The input is well-formed but breaks a rule; `errors` names the fields."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.errors = errors or {}
