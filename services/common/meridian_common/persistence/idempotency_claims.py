"""Idempotency-Key claims: which attempt may run a keyed request, and what a retry is told.

A claim is an insert under a unique `_id` (atomic on MongoDB and FerretDB alike), so two
concurrent retries cannot both run. A pending claim holds a lease a little longer than the
gateway waits for an answer: a process that dies while serving the request (SIGKILL, a lost
database connection) cannot release its claim, so once the lease is over a retry takes the
claim over instead of being told "in progress" until the key expires. Every attempt carries
its own token; releasing a claim and storing its answer match on that token, so an attempt
whose claim was taken over can neither drop nor overwrite its successor's.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pymongo.errors import DuplicateKeyError

from ..events.envelope import as_utc, utcnow

log = logging.getLogger(__name__)

RETENTION = timedelta(hours=24)
# How much longer than the gateway's upstream timeout a pending claim is leased for: by then
# the gateway has answered the client (504), so a retry is what comes next.
LEASE_MARGIN_SECONDS = 5.0
# Claiming again after a takeover or a release that raced with us; more means a stampede.
CLAIM_ROUNDS = 4

RUN, REPLAY, BUSY, REUSED = "run", "replay", "busy", "reused"


def lease_for(upstream_timeout_seconds: float) -> timedelta:
    """The lease of a pending claim for a gateway that waits `upstream_timeout_seconds`."""
    return timedelta(seconds=upstream_timeout_seconds + LEASE_MARGIN_SECONDS)


@dataclass(frozen=True)
class Verdict:
    """What to do with a keyed request: run it (as `attempt`), replay, or refuse it for now."""

    action: str
    attempt: str | None = None
    response: dict = field(default_factory=dict)
    retry_after: int = 1


def judge(stored: dict, fingerprint: str, now: datetime, lease: timedelta) -> Verdict | None:
    """The verdict on an existing claim; None when a new attempt may replace it."""
    created = as_utc(stored["created_at"])
    if created <= now - RETENTION:
        return None
    if stored.get("fingerprint") != fingerprint:
        return Verdict(REUSED)
    if stored.get("state") == "done":
        return Verdict(REPLAY, response=stored["response"])
    # Claims stored before leases existed lease from their creation.
    until = as_utc(stored.get("lease_until") or created + lease)
    if now < until:
        return Verdict(BUSY, retry_after=max(1, math.ceil((until - now).total_seconds())))
    return None


class KeyClaims:
    """The claims collection, seen through a clock (injected, so leases can be tested)."""

    def __init__(self, collection, lease: timedelta,
                 clock: Callable[[], datetime] = utcnow):
        self.collection = collection
        self.lease = lease
        self.clock = clock

    def claim(self, claim_id: str, fingerprint: str) -> Verdict:
        """Claim the key for a new attempt, or say why not (replay, busy, reused)."""
        for _ in range(CLAIM_ROUNDS):
            now, attempt = self.clock(), uuid.uuid4().hex
            try:
                self.collection.insert_one({
                    "_id": claim_id, "fingerprint": fingerprint, "state": "pending",
                    "attempt": attempt, "created_at": now, "lease_until": now + self.lease})
                return Verdict(RUN, attempt=attempt)
            except DuplicateKeyError:
                stored = self.collection.find_one({"_id": claim_id})
            if stored is None:
                continue  # released between our insert and our read: claim again
            verdict = judge(stored, fingerprint, now, self.lease)
            if verdict is not None:
                return verdict
            if stored.get("state") == "pending":
                log.warning("Idempotency-Key claim %s outlived its lease; taking it over",
                            claim_id)
            # Only that very claim goes: a competitor's newer one stays.
            self.collection.delete_one(_same_claim(stored))
        return Verdict(BUSY)

    def release(self, claim_id: str, attempt: str) -> None:
        """Drop the attempt's claim (a retry may run again), unless it was taken over."""
        self.collection.delete_one({"_id": claim_id, "attempt": attempt})

    def store(self, claim_id: str, attempt: str, response: dict) -> None:
        """Keep the attempt's answer for retries, unless its claim was taken over."""
        self.collection.update_one({"_id": claim_id, "attempt": attempt},
                                   {"$set": {"state": "done", "response": response},
                                    "$unset": {"lease_until": ""}})


def _same_claim(stored: dict) -> dict:
    if "attempt" in stored:
        return {"_id": stored["_id"], "attempt": stored["attempt"]}
    return {"_id": stored["_id"], "created_at": stored["created_at"]}
