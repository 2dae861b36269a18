"""The institution aggregate: a member of alliances that provides and takes courses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from meridian_common.events.types import INSTITUTION_CREATED, INSTITUTION_UPDATED

from .change import Change


@dataclass
class Institution:
    """A university or school, with the alliances it belongs to."""

    id: str
    name: str
    country: str
    timezone: str
    version: int
    created_at: datetime
    updated_at: datetime
    alliances: list[str] = field(default_factory=list)


def register(institution_id: str, now: datetime, fields: dict) -> tuple[Institution, Change]:
    """A new institution and the event announcing it."""
    institution = Institution(id=institution_id, version=1, created_at=now, updated_at=now,
                              **fields)
    return institution, Change({}, (INSTITUTION_CREATED,))


def edit(fields: dict) -> Change:
    """Every change of an institution is announced."""
    return Change(dict(fields), (INSTITUTION_UPDATED,))
