"""Sessions as pages show them: each with its join state, in the viewer's and its own zone."""

from __future__ import annotations

from datetime import UTC, datetime

from .formatting import join_state, parse_instant


def decorate(items: list[dict], now: datetime | None = None) -> list[dict]:
    """Add `join` (state), `opens_at` and `start_at`/`end_at` datetimes to API sessions."""
    now = now or datetime.now(UTC)
    shown = []
    for item in items:
        if item.get("status") == "cancelled":
            state, opens = "cancelled", None
        else:
            state, opens = join_state(item["start"], item["end"], now)
        shown.append({**item, "join": state, "opens_at": opens,
                      "start_at": parse_instant(item["start"]),
                      "end_at": parse_instant(item["end"])})
    return sorted(shown, key=lambda s: s["start_at"])
