"""Idempotency-Key claims on a fake clock: a pending claim's lease, takeover, replays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pymongo.errors import DuplicateKeyError

from meridian_common.persistence.idempotency_claims import (
    BUSY,
    REPLAY,
    RETENTION,
    REUSED,
    RUN,
    KeyClaims,
    lease_for,
)

LEASE = timedelta(seconds=10)


class FakeClock:
    def __init__(self):
        self.current = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


class FakeCollection:
    """insert_one / find_one / delete_one / update_one by exact field match, unique `_id`."""

    def __init__(self):
        self.rows: dict[str, dict] = {}

    def insert_one(self, row):
        if row["_id"] in self.rows:
            raise DuplicateKeyError("E11000 duplicate key")
        self.rows[row["_id"]] = dict(row)

    def find_one(self, query):
        return next((dict(r) for r in self.rows.values() if self._matches(r, query)), None)

    def delete_one(self, query):
        found = self.find_one(query)
        if found:
            del self.rows[found["_id"]]

    def update_one(self, query, change):
        found = self.find_one(query)
        if found:
            row = self.rows[found["_id"]]
            row.update(change.get("$set", {}))
            for name in change.get("$unset", {}):
                row.pop(name, None)

    @staticmethod
    def _matches(row, query):
        return all(row.get(k) == v for k, v in query.items())


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def claims(clock):
    return KeyClaims(FakeCollection(), LEASE, clock)


def test_the_lease_is_a_little_longer_than_the_gateway_timeout():
    assert lease_for(5.0) == timedelta(seconds=10)
    assert lease_for(30.0) > timedelta(seconds=30)


def test_a_retry_while_the_first_attempt_runs_is_told_to_come_back_when_its_lease_ends(
        claims, clock):
    first = claims.claim("k", "fp")
    assert first.action == RUN
    clock.advance(3)
    busy = claims.claim("k", "fp")
    assert (busy.action, busy.retry_after) == (BUSY, 7)


def test_a_retry_after_the_lease_takes_over_the_claim_of_an_attempt_that_died(claims, clock):
    dead = claims.claim("k", "fp")
    clock.advance(LEASE.total_seconds())
    retry = claims.claim("k", "fp")
    assert retry.action == RUN and retry.attempt != dead.attempt
    assert claims.claim("k", "fp").action == BUSY  # the new attempt holds a fresh lease


def test_an_overtaken_attempt_can_neither_release_nor_answer_for_its_successor(claims, clock):
    slow = claims.claim("k", "fp")
    clock.advance(LEASE.total_seconds() + 1)
    successor = claims.claim("k", "fp")
    claims.release("k", slow.attempt)
    claims.store("k", slow.attempt, {"status": 201, "body": b"slow", "headers": {}})
    assert claims.claim("k", "fp").action == BUSY
    claims.store("k", successor.attempt, {"status": 201, "body": b"ok", "headers": {}})
    replay = claims.claim("k", "fp")
    assert (replay.action, replay.response["body"]) == (REPLAY, b"ok")


def test_a_stored_answer_is_replayed_long_after_the_lease(claims, clock):
    first = claims.claim("k", "fp")
    claims.store("k", first.attempt, {"status": 409, "body": b"full", "headers": {}})
    clock.advance(3600)
    assert claims.claim("k", "fp").action == REPLAY


def test_a_released_claim_lets_the_retry_run_at_once(claims):
    first = claims.claim("k", "fp")
    claims.release("k", first.attempt)
    assert claims.claim("k", "fp").action == RUN


def test_the_same_key_with_another_body_is_refused_even_while_pending(claims):
    claims.claim("k", "fp")
    assert claims.claim("k", "other").action == REUSED


def test_a_claim_stored_before_leases_existed_is_taken_over_after_one_lease(clock):
    collection = FakeCollection()
    collection.insert_one({"_id": "k", "fingerprint": "fp", "state": "pending",
                           "created_at": clock()})
    claims = KeyClaims(collection, LEASE, clock)
    assert claims.claim("k", "fp").action == BUSY
    clock.advance(LEASE.total_seconds())
    assert claims.claim("k", "fp").action == RUN


def test_an_answer_older_than_the_retention_is_forgotten(claims, clock):
    first = claims.claim("k", "fp")
    claims.store("k", first.attempt, {"status": 201, "body": b"old", "headers": {}})
    clock.advance(RETENTION.total_seconds())
    assert claims.claim("k", "other").action == RUN
