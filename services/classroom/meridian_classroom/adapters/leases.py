"""Schedule leases: short locks claimed by a unique insert, one per offering and instructor.

Why this exists: checking for double bookings and then writing is read-then-write, and
FerretDB runs updates with no isolation (and has no transactions), so two requests could both
pass the check. Every writer of sessions first claims the leases of the offering and the
instructors involved, in sorted order so two writers cannot deadlock; an insert under a
unique `_id` is atomic on MongoDB and FerretDB alike. FerretDB has no TTL indexes either, so
a lease left by a crashed process is broken by the next claimant once it is LEASE_SECONDS
old. See docs/decisions/0005-classroom-time.md.
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

from ..application.errors import ScheduleBusy
from .documents import ScheduleLease

LEASE_SECONDS = 30.0


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
            raise ScheduleBusy()
        time.sleep(pause + random.uniform(0, pause))  # back off with jitter, not in lockstep
        pause = min(pause * 2, 0.2)


class MongoScheduleLease:
    """The `ScheduleLease` port on the `schedule_leases` collection."""

    @contextlib.contextmanager
    def holding(self, keys: list[str], wait_seconds: float) -> Iterator[None]:
        """Hold every lease in `keys` for the block; ScheduleBusy after `wait_seconds`."""
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
