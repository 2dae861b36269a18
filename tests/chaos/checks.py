"""What must hold after a fault: nothing acked lost or unpublished, no overbooking, one active
enrollment per student, a gap-free waitlist, every client finished, read models converged
with zero lag, poison parked in the DLQ."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field

import pymongo
import requests
from kafka import KafkaProducer

from meridian_common.config import load_settings
from meridian_common.events.topics import ENROLLMENT, PARTITIONS, dlq_for
from meridian_common.events.types import ACTIVE_ENROLLMENT_STATES
from meridian_ops.kafka_admin import admin_client, group_lag
from tests.integration.test_enrollment_support import ADMIN, bearer
from tests.support import TopicReader, env, header, make_token, unique, wait_for

from .load import Load

# Consumer groups that read the enrollment topic and keep read models from it.
GROUPS = ("catalog", "classroom")
CHECKS = ("published", "catalog", "lag0", "dlq")
CREATION_TYPES = ("lms.enrollment.confirmed.v1", "lms.enrollment.waitlisted.v1",
                  "lms.enrollment.applied.v1")


@dataclass
class Figures:
    """One scenario's row of the chaos table."""

    scenario: str
    acked: int = 0
    lost: int = 0
    unpublished: int = 0
    duplicates: int = 0
    interrupted: int = 0
    stuck: int = 0
    converged_seconds: float | None = None
    # Seconds after the fault ended until: every service ready, every client done, and
    # each convergence check first held.
    timeline: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def settings():
    """The stack's settings as the tests see them (topic prefix, database names)."""
    return load_settings("tests")


def enrollment_topic() -> str:
    """The physical enrollment topic of the stack."""
    return settings().topic(ENROLLMENT)


def check_clients(load: Load, figures: Figures) -> None:
    """Every client finished: created, or told it is already enrolled; none stuck."""
    figures.acked = len(load.acked())
    figures.interrupted = sum(o.interrupted for o in load.outcomes)
    stuck = [o for o in load.outcomes if not o.finished]
    figures.stuck = len(stuck)
    if stuck:
        figures.problems.append("stuck clients: " + "; ".join(
            f"{o.student.id} after {o.attempts} tries, last {o.last}" for o in stuck[:5]))


def check_state(mongo: pymongo.MongoClient, load: Load, capacity: int,
                figures: Figures) -> dict:
    """The enrollment service's truth against what the clients were told."""
    database = mongo[load_settings("enrollment").mongo_db]
    rows = list(database["enrollments"].find({"offering_id": load.offering_id},
                                             {"outbox": 0}))
    active = [r for r in rows if r["status"] in ACTIVE_ENROLLMENT_STATES]
    by_id = {r["_id"]: r for r in active}
    figures.lost = sum(o.enrollment_id not in by_id for o in load.acked())
    per_student = Counter(r["student_id"] for r in active)
    twice = [s for s, n in per_student.items() if n > 1]
    never = [o.student.id for o in load.outcomes if o.finished and per_student[o.student.id] != 1]
    confirmed = sum(r["status"] == "confirmed" for r in active)
    seats = database["seats"].count_documents({"offering_id": load.offering_id})
    places = database["places"].count_documents({"offering_id": load.offering_id})
    roster = requests.get(f"{env('ENROLLMENT_URL')}/api/v1/offerings/{load.offering_id}"
                          "/roster", headers=bearer(make_token(ADMIN, ["admin"])),
                          timeout=30).json()
    positions = [e["waitlist_position"] for e in roster["waitlisted"]]
    for failed, what in ((figures.lost, f"{figures.lost} acked enrollments missing"),
                         (twice, f"students with two active enrollments: {twice[:3]}"),
                         (never, f"finished students without one enrollment: {never[:3]}"),
                         (confirmed > capacity, f"{confirmed} confirmed > {capacity}"),
                         (seats > capacity, f"{seats} seats > {capacity}"),
                         (places != len(active), f"{places} places, {len(active)} active"),
                         (positions != list(range(1, len(positions) + 1)),
                          f"waitlist positions {positions}")):
        if failed:
            figures.problems.append(what)
    return {"confirmed": confirmed, "waitlisted": len(positions),
            "acked": {o.enrollment_id for o in load.acked()}}


def publish_poison(offering_id: str) -> str:
    """Put a message no consumer can read on the enrollment topic; returns its marker."""
    marker = unique("poison-")
    producer = KafkaProducer(bootstrap_servers=env("KAFKA_BOOTSTRAP"), acks="all")
    try:
        wait_for(lambda: producer.send(enrollment_topic(), key=offering_id.encode(),
                                       value=json.dumps({"poison": marker}).encode())
                 .get(timeout=10), timeout=60, interval=1.0, message="the poison sent")
    finally:
        producer.close(timeout=5)
    return marker


class Convergence:
    """Waits until the read models and the topic agree with the enrollment service."""

    def __init__(self, offering_id: str, truth: dict, marker: str):
        self.offering_id, self.truth, self.marker = offering_id, truth, marker
        self.topic = TopicReader(enrollment_topic())
        self.dlq = TopicReader(dlq_for(enrollment_topic()))
        self.seen: dict[str, float] = {}
        self.since = time.monotonic()

    def close(self) -> None:
        """Close the topic readers."""
        self.topic.close()
        self.dlq.close()

    def mine(self) -> list:
        """The offering's messages on the enrollment topic (CloudEvents only)."""
        return [m for m in self.topic.poll() if m.key == self.offering_id.encode()
                and header(m, "ce_id")]

    def _published(self) -> set[str]:
        return {header(m, "ce_subject") for m in self.mine()
                if header(m, "ce_type") in CREATION_TYPES}

    def _catalog_agrees(self) -> bool:
        body = requests.get(f"{env('CATALOG_URL')}/api/v1/offerings/{self.offering_id}",
                            headers=bearer(make_token(ADMIN, ["admin"])), timeout=10).json()
        return (body.get("seats_taken"), body.get("waitlist_length")) == (
            self.truth["confirmed"], self.truth["waitlisted"])

    def _no_lag(self) -> bool:
        with admin_client(settings()) as admin:
            return all(lag.lag == 0 for group in GROUPS for lag in group_lag(
                admin, settings().topic_prefix + group, enrollment_topic(), PARTITIONS))

    def _parked(self) -> bool:
        groups = {header(m, "dlq_consumer_group") for m in self.dlq.poll()
                  if self.marker.encode() in (m.value or b"")}
        return {settings().topic_prefix + g for g in GROUPS} <= groups

    def done(self) -> bool:
        """True once every check has held (each one's first success is timed)."""
        checks = dict(zip(CHECKS, (lambda: self.truth["acked"] <= self._published(),
                                   self._catalog_agrees, self._no_lag, self._parked),
                          strict=True))
        for name, check in checks.items():
            if name not in self.seen and check():
                self.seen[name] = round(time.monotonic() - self.since, 1)
        return len(self.seen) == len(checks)

    def wait(self, since: float, bound: float, figures: Figures) -> None:
        """Wait up to `bound` seconds; record the convergence time and what was left."""
        self.since = since
        try:
            wait_for(self.done, timeout=bound, interval=0.5, message="convergence")
            figures.converged_seconds = max(self.seen.values())
            figures.timeline.update(self.seen)
        except AssertionError:
            figures.problems.append(f"not converged within {bound}s (still waiting on "
                                    f"{sorted(set(CHECKS) - set(self.seen))})")
        figures.unpublished = len(self.truth["acked"] - self._published())
        ids = Counter(header(m, "ce_id") for m in self.mine())
        figures.duplicates = sum(n - 1 for n in ids.values() if n > 1)
