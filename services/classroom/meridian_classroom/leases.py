"""Schedule leases: short locks claimed by a unique insert, one per offering and instructor.

Checking for double bookings and then inserting is a read-then-write; FerretDB gives it no
isolation, so two requests could both pass the check. Every writer of sessions first claims
the leases of the offering and instructors involved (in sorted order, so no deadlock): the
insert of `_id` is atomic on MongoDB and FerretDB alike. A lease left behind by a crashed
process expires after LEASE_SECONDS. See docs/decisions/0005-classroom-time.md.
"""

from __future__ import annotations

import contextlib
import random
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta

from pymongo.errors import DuplicateKeyError

from meridian_common.events.envelope import as_utc, utcnow

from .models import ScheduleLease

LEASE_SECONDS = 30.0
# Below the gateway's 5 s upstream timeout, so a busy schedule answers 409, not a 504.
API_WAIT_SECONDS = 3.0


class LeaseBusy(TimeoutError):
    """Someone else kept a schedule lease for longer than we were willing to wait."""


def offering_key(offering_id: str) -> str:
    """The lease guarding an offering's cohort and its session documents."""
    return f"offering:{offering_id}"


def instructor_key(user_id: str) -> str:
    """The lease guarding one instructor's bookings across all offerings."""
    return f"instructor:{user_id}"


def _claim(collection, key: str, owner: str, deadline: float) -> None:
    pause = 0.01
    while True:
        now = utcnow()
        try:
            collection.insert_one({"_id": key, "owner": owner,
                                   "expires_at": now + timedelta(seconds=LEASE_SECONDS)})
            return
        except DuplicateKeyError:
            held = collection.find_one({"_id": key})
        if held is not None and as_utc(held["expires_at"]) < now:
            # Expired: remove exactly that holder's claim, then race for a fresh insert.
            collection.delete_one({"_id": key, "owner": held["owner"]})
            continue
        if time.monotonic() >= deadline:
            raise LeaseBusy(f"the schedule lease {key} is held by another request")
        time.sleep(pause + random.uniform(0, pause))  # back off with jitter, not in lockstep
        pause = min(pause * 2, 0.2)


@contextlib.contextmanager
def holding(keys: list[str], wait_seconds: float = API_WAIT_SECONDS) -> Iterator[None]:
    """Hold every lease in `keys` for the duration of the block."""
    collection = ScheduleLease._get_collection()
    owner, held = uuid.uuid4().hex, []
    deadline = time.monotonic() + wait_seconds
    try:
        for key in sorted(set(keys)):
            _claim(collection, key, owner, deadline)
            held.append(key)
        yield
    finally:
        for key in held:
            collection.delete_one({"_id": key, "owner": owner})
