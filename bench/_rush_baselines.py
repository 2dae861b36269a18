"""The enrollment rush's measuring tools and its two pymongo baselines on the same FerretDB.

- physical: one unique-index insert per student (a compound unique index on
  `(offering_id, student_id)`, documents the size of an enrollment with its stored event) in a
  scratch collection of the enrollment service's own database: what the database can accept;
- claim protocol: the claims that keep seats from overselling (the student's place, a seat by
  insert, else a waitlist ticket, then the enrollment document) in a scratch database.
Both scratch spaces are dropped afterwards.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

import pymongo
import requests
from pymongo.errors import DuplicateKeyError

EVENT = {"type": "lms.enrollment.confirmed.v1", "source": "/bench", "topic": "x",
         "data": {f"field_{i}": "x" * 20 for i in range(8)}, "request_id": "r" * 32}


@dataclass
class Result:
    """One side of the rush: throughput, latency percentiles in ms, outcome counts."""

    enrollments_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    server_errors: int
    confirmed: int
    waitlisted: int
    overbooked: int


def percentile(sorted_values: list[float], share: float) -> float:
    """The nearest-rank percentile of already sorted values, in ms."""
    index = min(len(sorted_values) - 1, max(0, round(share * len(sorted_values)) - 1))
    return round(sorted_values[index] * 1000, 1)


def summarise(latencies: list[float], elapsed: float, non_2xx: int, errors: int,
              confirmed: int, waitlisted: int, capacity: int) -> Result:
    """Fold one run's measurements into a Result."""
    latencies.sort()
    # Only answered enrollments count as throughput; latencies include the refused ones.
    return Result(round((len(latencies) - non_2xx) / elapsed, 1), percentile(latencies, 0.50),
                  percentile(latencies, 0.95), percentile(latencies, 0.99), len(latencies),
                  non_2xx, errors, confirmed, waitlisted, max(0, confirmed - capacity))


def rush(work, items: list, concurrency: int) -> tuple[list, float]:
    """Run `work(session, item)` over items from `concurrency` threads; returns results, s."""
    local = threading.local()

    def run(item):
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.trust_env = False
        return work(local.session, item)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(run, items))
    return results, time.perf_counter() - started


def _document(student: str, offering_id: str, status: str) -> dict:
    return {"_id": uuid.uuid4().hex, "offering_id": offering_id, "student_id": student,
            "status": status, "version": 1, "outbox": [dict(EVENT, id=uuid.uuid4().hex)],
            "created_at": datetime.now(UTC)}


def run_physical(mongo: str, database: str, students: int, concurrency: int) -> Result:
    """One unique-index insert per student, in a scratch collection of `database`."""
    client = pymongo.MongoClient(mongo, maxPoolSize=concurrency + 4, tz_aware=True)
    scratch = client[database][f"bench_rush_{uuid.uuid4().hex[:8]}"]
    scratch.create_index([("offering_id", 1), ("student_id", 1)], unique=True)
    offering_id = uuid.uuid4().hex

    def insert(_session, student: str):
        started = time.perf_counter()
        scratch.insert_one(_document(student, offering_id, "confirmed"))
        return time.perf_counter() - started

    try:
        latencies, elapsed = rush(insert, [f"raw-{i}" for i in range(students)], concurrency)
        stored = scratch.count_documents({})
    finally:
        scratch.drop()
        client.close()
    return summarise(latencies, elapsed, 0, 0, stored, 0, students)


def run_claims(mongo: str, students: int, capacity: int, concurrency: int) -> Result:
    """The bare claim protocol with pymongo, in a scratch database."""
    client = pymongo.MongoClient(mongo, maxPoolSize=concurrency + 4, tz_aware=True)
    name = f"bench_rush_{uuid.uuid4().hex[:8]}"
    db = client[name]
    places, seats, tickets, enrollments = (db["places"], db["seats"], db["tickets"],
                                           db["enrollments"])
    lock = threading.Lock()
    next_ticket = [0]

    def claim(student: str) -> str:
        places.insert_one({"_id": student, "created_at": datetime.now(UTC)})
        taken = {row["_id"] for row in seats.find({}, {"_id": 1})}
        free = [n for n in range(1, capacity + 1) if n not in taken]
        start = random.randrange(len(free)) if free else 0
        for n in free[start:] + free[:start]:
            try:
                seats.insert_one({"_id": n, "student": student})
                return "confirmed"
            except DuplicateKeyError:
                continue
        with lock:  # the same per-process queueing the service uses for tickets
            ticket = next_ticket[0] + 1
            while True:
                try:
                    tickets.insert_one({"_id": ticket, "student": student})
                    next_ticket[0] = ticket
                    return "waitlisted"
                except DuplicateKeyError:
                    ticket += 1

    def enroll(_session, student: str):
        started = time.perf_counter()
        status = claim(student)
        enrollments.insert_one(_document(student, name, status))
        return time.perf_counter() - started, status

    try:
        results, elapsed = rush(enroll, [f"raw-{i}" for i in range(students)], concurrency)
        confirmed = seats.count_documents({})
    finally:
        client.drop_database(name)
        client.close()
    return summarise([r[0] for r in results], elapsed, 0, 0, confirmed,
                     sum(r[1] == "waitlisted" for r in results), capacity)
