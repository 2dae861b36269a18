"""Every enrollment transition reaches lms.enrollment once, and the catalog's counts follow."""

from __future__ import annotations

import json

import pytest
from kafka import KafkaConsumer, TopicPartition

from tests.integration.test_enrollment_support import (  # noqa: F401 (fixtures)
    Student,
    catalog_fixture,
    course_fixture,
    edb_fixture,
    enr_fixture,
    wait_for_view,
)
from tests.support import env, header, wait_for


class TailReader:
    """Reads a topic from its current end (the shared topic holds everyone's history)."""

    def __init__(self, topic: str):
        self.messages: list = []
        self._consumer = KafkaConsumer(bootstrap_servers=env("KAFKA_BOOTSTRAP"),
                                       enable_auto_commit=False, group_id=None)
        partitions = [TopicPartition(topic, p)
                      for p in self._consumer.partitions_for_topic(topic)]
        self._consumer.assign(partitions)
        self._consumer.seek_to_end()
        for partition in partitions:
            self._consumer.position(partition)

    def of(self, offering_id: str) -> list[dict]:
        """Everything received so far about one offering: (type, payload, message) rows."""
        for batch in self._consumer.poll(timeout_ms=200).values():
            self.messages.extend(batch)
        return [{"type": header(m, "ce_type"), "data": json.loads(m.value), "message": m}
                for m in self.messages if m.key == offering_id.encode()]

    def close(self) -> None:
        """Close the consumer."""
        self._consumer.close()


@pytest.fixture
def reader():
    tail = TailReader("lms.enrollment")
    yield tail
    tail.close()


def transitions_of(rows: list[dict]) -> dict[tuple[str, int], set[str]]:
    """(enrollment id, version) → the event types seen for it (a set: redeliveries merge)."""
    seen: dict[tuple[str, int], set[str]] = {}
    for row in rows:
        key = (row["data"]["enrollment_id"], row["data"]["version"])
        seen.setdefault(key, set()).add(row["type"].split(".")[2])
    return seen


def _figures(catalog, offering_id: str) -> tuple[int, int]:
    offering = catalog.get_offering(offering_id)
    return offering["seats_taken"], offering["waitlist_length"]


@pytest.mark.timeout(600)
def test_each_transition_is_one_event_and_the_catalog_follows(catalog, enr, edb, course,
                                                              reader):
    offering = catalog.offering(course["id"], capacity=1)
    wait_for_view(edb, offering["id"])
    first, second, third = Student(), Student(), Student()
    a = enr.enroll(offering["id"], first).json()
    b = enr.enroll(offering["id"], second).json()
    c = enr.enroll(offering["id"], third).json()
    # The catalog's figures pass through every intermediate state: wait for the final pair.
    wait_for(lambda: _figures(catalog, offering["id"]) == (1, 2), timeout=180, interval=1.0,
             message="catalog counts after enrolling")

    assert enr.withdraw(a["id"], first).status_code == 200
    assert enr.withdraw(c["id"], third).status_code == 200
    catalog.cancel_offering(offering["id"])

    expected = {(a["id"], 1): {"confirmed"}, (a["id"], 2): {"withdrawn"},
                (b["id"], 1): {"waitlisted"}, (b["id"], 2): {"promoted"},
                (b["id"], 3): {"cancelled"},
                (c["id"], 1): {"waitlisted"}, (c["id"], 2): {"withdrawn"}}
    wait_for(lambda: transitions_of(reader.of(offering["id"])) == expected, timeout=180,
             interval=1.0, message="one event per transition on lms.enrollment")
    rows = reader.of(offering["id"])
    by_id: dict[str, set] = {}
    for row in rows:
        by_id.setdefault(header(row["message"], "ce_id"), set()).add(
            (row["data"]["enrollment_id"], row["data"]["version"]))
    assert all(len(keys) == 1 for keys in by_id.values())
    assert len(by_id) == len(expected), "a transition was published under two event ids"
    cancelled = next(r["data"] for r in rows if r["type"].endswith(".cancelled.v1"))
    assert (cancelled["status"], cancelled["reason"]) == ("cancelled", "offering_cancelled")
    assert {header(r["message"], "ce_source") for r in rows} == {"/meridian/enrollment"}
    # (0, 2) comes first, between the withdrawal and the promotion it caused.
    wait_for(lambda: _figures(catalog, offering["id"]) == (0, 0), timeout=180, interval=1.0,
             message="catalog counts after the cancellation")
    wait_for_view(edb, offering["id"], status="cancelled")
    late = enr.enroll(offering["id"], Student())
    assert (late.status_code, late.json()["code"]) == (422, "offering_not_open")
