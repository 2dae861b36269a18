"""Lottery draws on MongoDB, and the lock that makes one process at a time apply one."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta

from pymongo.errors import DuplicateKeyError

from meridian_common.events.envelope import as_utc, utcnow
from meridian_common.persistence.server import find_in

from ..domain.offering import Draw, DrawOutline
from .claims import CollectionOf, insert_claim
from .documents import DrawLock, LotteryDrawDocument

# FerretDB has no TTL indexes, so a lock whose holder died is presumed stale after this long
# (enough for the largest draw) and taken over by the next applier.
LOCK_STALE = timedelta(minutes=5)


def _to_draw(row: dict) -> Draw:
    fields = {name: row.get(name) for name in Draw.__dataclass_fields__ if name != "offering_id"}
    return Draw(offering_id=row["_id"], **fields)


class MongoDraws:
    """`lottery_draws` (`_id` = offering id, stored once) and `draw_locks`."""

    _draws = CollectionOf(LotteryDrawDocument)
    _locks = CollectionOf(DrawLock)

    def get(self, offering_id: str) -> Draw | None:
        """The offering's draw, if it ran."""
        row = self._draws.find_one({"_id": offering_id})
        return _to_draw(row) if row else None

    def outlines(self, offering_ids: list[str]) -> dict[str, DrawOutline]:
        """Seed, time and selected ids of those offerings' draws, in one query."""
        if not offering_ids:
            return {}
        rows = find_in(self._draws, "_id", offering_ids,
                       projection={"seed": 1, "created_at": 1, "selected": 1})
        return {row["_id"]: DrawOutline(offering_id=row["_id"], seed=row["seed"],
                                        drawn_at=as_utc(row["created_at"]),
                                        selected=frozenset(row["selected"])) for row in rows}

    def add(self, draw: Draw) -> Draw:
        """Store the draw; an earlier one (after a stale lock was taken over) stands."""
        row = asdict(draw)
        row["_id"] = row.pop("offering_id")
        try:
            self._draws.insert_one(row)
        except DuplicateKeyError:
            return self.get(draw.offering_id)
        return draw

    def mark_applied(self, offering_id: str, at: datetime) -> None:
        """Every application got its outcome (the lock holder is the draw's only writer)."""
        self._draws.update_one({"_id": offering_id}, {"$set": {"applied_at": at}})

    def unapplied(self) -> list[Draw]:
        """Draws whose application was interrupted."""
        return [_to_draw(row) for row in self._draws.find({"applied_at": None})]

    def lock(self, offering_id: str) -> bool:
        """Become the offering's one draw applier (taking over a stale lock)."""
        lock = {"_id": offering_id, "created_at": utcnow()}
        if insert_claim(self._locks, lock):
            return True
        stale = self._locks.find_one({"_id": offering_id})
        if stale and as_utc(stale["created_at"]) < utcnow() - LOCK_STALE:
            self._locks.delete_one({"_id": offering_id, "created_at": stale["created_at"]})
            return insert_claim(self._locks, lock)
        return False

    def unlock(self, offering_id: str) -> None:
        """Let go of the lock."""
        self._locks.delete_one({"_id": offering_id})
