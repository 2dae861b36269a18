"""Who is on an offering's roster: a student is while any of their enrollments is confirmed."""

from __future__ import annotations

CONFIRMED = "confirmed"


def roster_status(enrollments: list[dict]) -> str:
    """`confirmed` if any enrollment is, else the newest enrollment's state."""
    if any(e["status"] == CONFIRMED for e in enrollments):
        return CONFIRMED
    return max(enrollments, key=lambda e: e["version"])["status"]


def merge(enrollments: list[dict], enrollment_id: str, status: str,
          version: int) -> list[dict] | None:
    """The enrollments with this one's newer state, or None when the state is not newer.

    One entry per enrollment of the student in the offering, so the list stays as short as
    their enrollments there (a withdrawal and a new enrollment make two).
    """
    known = {e["id"]: e for e in enrollments}
    current = known.get(enrollment_id)
    if current is not None and current["version"] >= version:
        return None
    known[enrollment_id] = {"id": enrollment_id, "status": status, "version": version}
    return sorted(known.values(), key=lambda e: e["id"])
