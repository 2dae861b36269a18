"""Classroom test and benchmark helpers: upstream events published to Kafka, an in-process worker.

Events are built with the shared contracts (`new_event`) exactly as the catalog and enrollment
services build them.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pymongo

from meridian_classroom.app import create_app
from meridian_classroom.events.handlers import HANDLERS
from meridian_classroom.models import ALL_DOCUMENTS, OUTBOX_COLLECTIONS
from meridian_common.config import Settings, load_settings
from meridian_common.events.envelope import new_event, to_kafka
from meridian_common.events.topics import CATALOG, ENROLLMENT
from meridian_common.messaging.consumer import PROCESSED_COLLECTION, EventConsumer
from meridian_common.messaging.kafka_clients import ensure_topics, make_producer
from meridian_common.messaging.relay import OutboxRelay
from meridian_common.persistence import db as dbmod
from tests.support import wait_for

CATALOG_SOURCE = "/meridian/catalog"
WAIT_SECONDS = 60.0
ENROLLMENT_SOURCE = "/meridian/enrollment"


def institution_event(institution_id: str, timezone: str, version: int = 1,
                      country: str = "GB") -> dict:
    """`lms.catalog.institution.created.v1` (updated when version > 1)."""
    kind = "created" if version == 1 else "updated"
    return new_event(f"lms.catalog.institution.{kind}.v1", source=CATALOG_SOURCE,
                     key=institution_id, data={
                         "institution_id": institution_id, "name": institution_id,
                         "country": country, "timezone": timezone, "alliances": [],
                         "version": version})


def course_event(course_id: str, faculty: list[tuple[str, str]], version: int = 1,
                 kind: str = "published", code: str = "SURG101",
                 title: str = "Surgical skills") -> dict:
    """`lms.catalog.course.<kind>.v1` with `faculty` as (user_id, role) pairs."""
    return new_event(f"lms.catalog.course.{kind}.v1", source=CATALOG_SOURCE, key=course_id, data={
        "course_id": course_id, "code": code, "title": title,
        "provider_institution_id": "ins_provider", "status": "published",
        "languages": ["en"], "discipline": "medicine", "level": "postgraduate",
        "faculty": [{"user_id": u, "role": r} for u, r in faculty], "version": version})


def offering_event(offering_id: str, course_id: str, timezone: str,
                   faculty: list[tuple[str, str]], version: int = 1,
                   status: str = "open") -> dict:
    """`lms.catalog.offering.opened/updated/cancelled.v1` for an offering."""
    kind = "cancelled" if status == "cancelled" else "opened" if version == 1 else "updated"
    now = datetime.now(UTC)
    return new_event(f"lms.catalog.offering.{kind}.v1", source=CATALOG_SOURCE, key=offering_id,
                     data={"offering_id": offering_id, "course_id": course_id,
                           "provider_institution_id": "ins_provider", "term": "2026",
                           "starts_on": date(2026, 1, 5), "ends_on": date(2026, 12, 18),
                           "timezone": timezone, "capacity": 5000,
                           "enrollment_opens_at": now - timedelta(days=1),
                           "enrollment_closes_at": now + timedelta(days=300),
                           "eligibility": None, "selection": "first_come", "waitlist": True,
                           "status": status,
                           "faculty": [{"user_id": u, "role": r} for u, r in faculty],
                           "version": version})


def enrollment_event(kind: str, enrollment_id: str, offering_id: str, student_id: str,
                     status: str, version: int, institution_id: str | None = None) -> dict:
    """`lms.enrollment.<kind>.v1` for one enrollment's new state."""
    return new_event(f"lms.enrollment.{kind}.v1", source=ENROLLMENT_SOURCE, key=offering_id,
                     data={"enrollment_id": enrollment_id, "offering_id": offering_id,
                           "student_id": student_id, "institution_id": institution_id,
                           "status": status, "waitlist_position": None, "reason": None,
                           "version": version})


class Publisher:
    """Publishes stored-style event records to (prefixed) topics, as a service's relay would."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.producer = make_producer(settings, "classroom-tests")

    def publish(self, *records: dict) -> None:
        """Send `records` in order and wait until Kafka acknowledged all of them."""
        futures = []
        for record in records:
            message = to_kafka(record)
            futures.append(self.producer.send(
                self.settings.topic(record["topic"]), key=message.key.encode(),
                value=message.value, headers=list(message.headers.items())))
        self.producer.flush(timeout=30)
        for future in futures:
            future.get(timeout=30)

    def close(self) -> None:
        """Close the producer."""
        self.producer.close(timeout=5)


class InProcessWorker:
    """The classroom worker's consumer and relay as threads, for an isolated database/prefix."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> InProcessWorker:
        """Start consuming and relaying on the database the process is already connected to."""
        database = dbmod.database()
        dbmod.ensure_indexes(*ALL_DOCUMENTS)
        consumer = EventConsumer(self.settings, database, "classroom", [CATALOG, ENROLLMENT],
                                 HANDLERS)
        relay = OutboxRelay(self.settings, database, OUTBOX_COLLECTIONS)
        self.relay = relay
        for name, target in (("consumer", consumer.run_forever), ("relay", relay.run_forever)):
            thread = threading.Thread(target=target, args=(self.stop,), name=name, daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def close(self) -> None:
        """Stop both threads and wait for them."""
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=20)
        self.relay.close()


def wait_until(predicate: Callable[[], object], timeout: float = WAIT_SECONDS,
               what: str = "condition") -> object:
    """Poll `predicate` until it returns something truthy, or fail after `timeout` seconds."""
    return wait_for(predicate, timeout=timeout, interval=0.05, message=what)


class Harness:
    """A classroom API (Flask test client) and worker on a fresh database and topic prefix."""

    def __init__(self, overrides: dict | None = None):
        tag = uuid.uuid4().hex[:10]
        self.overrides = {"mongo_db": f"t_cls_{tag}", "topic_prefix": f"t{tag}.",
                          **(overrides or {})}
        self.settings = load_settings("classroom", self.overrides)

    def __enter__(self) -> Harness:
        ensure_topics(self.settings, partitions=1)
        self.app = create_app(self.overrides)
        self.client = self.app.test_client()
        self.worker = InProcessWorker(self.settings).start()
        self.publisher = Publisher(self.settings)
        return self

    def __exit__(self, *_exc) -> None:
        self.worker.close()
        self.publisher.close()
        with pymongo.MongoClient(self.settings.mongo_uri) as client:
            client.drop_database(self.settings.mongo_db)

    def processed(self, *records: dict) -> None:
        """Wait until the worker finished handling every one of `records`."""
        collection = dbmod.database()[PROCESSED_COLLECTION]
        ids = [record["id"] for record in records]
        wait_until(lambda: collection.count_documents({"_id": {"$in": ids}}) == len(ids),
                   what=f"{len(ids)} event(s) handled")

    def offering(self, offering_id: str, timezone: str, faculty: list[tuple[str, str]],
                 course_id: str | None = None, code: str = "SURG101") -> None:
        """Publish a course and an offering of it, and wait until the worker handled both."""
        course_id = course_id or f"crs-{offering_id}"
        records = (course_event(course_id, faculty, code=code),
                   offering_event(offering_id, course_id, timezone, faculty))
        self.publisher.publish(*records)
        self.processed(*records)

    def enroll(self, offering_id: str, student_id: str, status: str = "confirmed",
               version: int = 1, institution_id: str | None = None,
               enrollment_id: str | None = None, kind: str | None = None) -> None:
        """Publish one enrollment state and wait until the worker handled it."""
        enrollment_id = enrollment_id or f"enr-{offering_id}-{student_id}"
        record = enrollment_event(kind or status, enrollment_id, offering_id, student_id,
                                  status, version, institution_id)
        self.publisher.publish(record)
        self.processed(record)
