"""The API's 409 schedule conflicts as the forms list them, one line per double booking."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConflictLine:
    """One double booking: which proposed occurrence (numbered from 1 as people count; None
    for a stored session being rescheduled) clashes with which other session, and why."""

    number: int | None
    start: str
    other_title: str | None
    other_number: int | None
    other_start: str
    reasons: tuple[str, ...]
    # True: another offering's session the viewer may not see (times only, no title).
    busy: bool = False


def _counted(index) -> int | None:
    # The API numbers a series' occurrences from 0 (their index in the series).
    return index + 1 if isinstance(index, int) and not isinstance(index, bool) else None


def conflict_lines(conflicts: list[dict]) -> list[ConflictLine]:
    """The 409 body's `conflicts`, in the API's order, ready for the template."""
    return [ConflictLine(number=_counted(c.get("occurrence")), start=c.get("start") or "",
                         other_title=c.get("conflicting_title") or None,
                         other_number=_counted(c.get("conflicting_occurrence")),
                         other_start=c.get("conflicting_start") or "",
                         reasons=tuple(c.get("reasons") or ()),
                         busy=c.get("busy") is True and not c.get("conflicting_title"))
            for c in conflicts if isinstance(c, dict)]
