"""What a command does to an aggregate: the fields it sets and the events it causes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Change:
    """Field values to store and the event types (meridian_common.events.types) they cause."""

    fields: dict
    events: tuple[str, ...] = field(default=())
