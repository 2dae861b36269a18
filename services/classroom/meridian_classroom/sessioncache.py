"""The sessions of each offering, cached per process and checked against the offering's stamp.

FerretDB pushes only `_id` equality down to SQLite, so any query by offering decodes every
session on the platform. Writers give the offering a fresh random stamp after each write (see
`schedule.py`); a reader takes the stamps first (one `_id` lookup each), serves offerings whose
cached copy was loaded under the same stamp, and loads the others in one query. A write after
the stamp was read changes it again, so a stale copy is never served twice; a copy also
expires after `MAX_AGE_SECONDS`, which bounds staleness if a writer died between its write
and its stamp.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from meridian_common.events.envelope import as_utc

from .events.writes import renew_stamp
from .models import LiveSession
from .stamps import OfferingStamp

NO_STAMP = "-"
MAX_AGE_SECONDS = 60.0
# A few hundred bytes per session: a thousand offerings of 60 sessions stay near 40 MB a process.
MAX_OFFERINGS = 1000


@dataclass(frozen=True, slots=True)
class SessionRow:
    """What listings and feeds show of a session: a light, immutable copy of the document."""

    id: str
    series_id: str
    series_index: int
    offering_id: str
    kind: str
    title: str
    start: datetime
    end: datetime
    timezone: str
    wall_start: str
    fold: int
    duration_minutes: int
    instructors: tuple[str, ...]
    status: str
    sequence: int
    version: int
    created_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None


FIELDS = {name: 1 for name in SessionRow.__slots__ if name != "id"}
TIMES = ("start", "end", "created_at", "updated_at")


def _row(document: dict) -> SessionRow:
    values = {name: document.get(name) for name in FIELDS}
    values.update({name: as_utc(values[name]) for name in TIMES},
                  instructors=tuple(values["instructors"] or ()),
                  cancelled_at=values["cancelled_at"] and as_utc(values["cancelled_at"]))
    return SessionRow(id=document["_id"], **values)

_lock = threading.Lock()
# Keyed by (database, offering): one process may serve several databases (the test suite does).
_cached: OrderedDict[tuple[str, str], tuple[str, float, tuple[SessionRow, ...]]] = OrderedDict()


def touch_offering(offering_id: str) -> None:
    """Mark the offering's cached sessions stale everywhere; call after writing its sessions."""
    renew_stamp(OfferingStamp._get_collection(), offering_id)


def _stamp(offering_id: str) -> str:
    row = OfferingStamp._get_collection().find_one({"_id": offering_id}, {"stamp": 1})
    return row["stamp"] if row else NO_STAMP


def _load(offering_ids: list[str]) -> dict[str, tuple[SessionRow, ...]]:
    wanted = offering_ids[0] if len(offering_ids) == 1 else {"$in": offering_ids}
    grouped: dict[str, list[SessionRow]] = defaultdict(list)
    for document in LiveSession._get_collection().find({"offering_id": wanted}, FIELDS):
        grouped[document["offering_id"]].append(_row(document))
    return {offering_id: tuple(grouped[offering_id]) for offering_id in offering_ids}


def _remember(database: str, loaded: dict[str, tuple[SessionRow, ...]],
              stamps: dict[str, str], loaded_at: float) -> None:
    with _lock:
        for offering_id, sessions in loaded.items():
            _cached[database, offering_id] = (stamps[offering_id], loaded_at, sessions)
            _cached.move_to_end((database, offering_id))
        while len(_cached) > MAX_OFFERINGS:
            _cached.popitem(last=False)


def sessions_of(offering_ids: Iterable[str]) -> list[SessionRow]:
    """Every session (any status) of the given offerings."""
    wanted = list(dict.fromkeys(offering_ids))
    database = LiveSession._get_db().name
    stamps = {offering_id: _stamp(offering_id) for offering_id in wanted}
    now = time.monotonic()
    found: dict[str, tuple[SessionRow, ...]] = {}
    with _lock:
        for offering_id in wanted:
            hit = _cached.get((database, offering_id))
            if hit and hit[0] == stamps[offering_id] and now - hit[1] < MAX_AGE_SECONDS:
                found[offering_id] = hit[2]
                _cached.move_to_end((database, offering_id))
    missing = [offering_id for offering_id in wanted if offering_id not in found]
    if missing:
        loaded = _load(missing)
        _remember(database, loaded, stamps, now)
        found.update(loaded)
    return [session for offering_id in wanted for session in found[offering_id]]


def forget_all() -> None:
    """Drop every cached copy (tests and benchmarks compare cold and warm reads)."""
    with _lock:
        _cached.clear()
