"""Enrollment rush: N students enrolling through the gateway, versus the bare claim protocol.

Both sides run in one go, at the same concurrency, against the same FerretDB:
- service: `POST /api/v1/offerings/{id}/enrollments` through the gateway (JWT, routing, the
  enrollment API under gunicorn, events stored with each enrollment);
- raw: a pymongo loop doing only the claims that keep seats from overselling — the student's
  place, a seat by insert (else a waitlist ticket), then an enrollment document of the same
  size — in a scratch database that is dropped afterwards.

Usage (against a running stack, e.g. `make up`, or the test stack via deploy/local/env.sh):
    .venv/bin/python -m bench.enrollment_rush [--students 1000] [--capacity 500]
                                              [--concurrency 32] [--json out.json]
URLs come from MERIDIAN_GATEWAY_URL and MERIDIAN_MONGO_URI (defaults: the local stack).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

import pymongo
import requests
from pymongo.errors import DuplicateKeyError

GATEWAY = os.environ.get("MERIDIAN_GATEWAY_URL", "http://127.0.0.1:8080")
MONGO = os.environ.get("MERIDIAN_MONGO_URI", "mongodb://127.0.0.1:27017/")
ENROLLMENT_DB = os.environ.get("MERIDIAN_ENROLLMENT_DB", "meridian_enrollment")


@dataclass
class Result:
    """One side of the rush: throughput, latency percentiles in ms, outcome counts."""

    enrollments_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    server_errors: int
    confirmed: int
    waitlisted: int
    overbooked: int


def percentile(sorted_values: list[float], share: float) -> float:
    """The nearest-rank percentile of already sorted values, in ms."""
    index = min(len(sorted_values) - 1, max(0, round(share * len(sorted_values)) - 1))
    return round(sorted_values[index] * 1000, 1)


def summarise(latencies: list[float], elapsed: float, errors: int, confirmed: int,
              waitlisted: int, capacity: int) -> Result:
    """Fold one run's measurements into a Result."""
    latencies.sort()
    return Result(round(len(latencies) / elapsed, 1), percentile(latencies, 0.50),
                  percentile(latencies, 0.95), percentile(latencies, 0.99), len(latencies),
                  errors, confirmed, waitlisted, max(0, confirmed - capacity))


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


def dev_token(http: requests.Session, sub: str, roles: list[str],
              institution_id: str | None = None) -> str:
    """A token from the gateway's dev-token endpoint (on in the local stacks)."""
    response = http.post(f"{GATEWAY}/api/v1/auth/dev-token", timeout=30, json={
        "sub": sub, "roles": roles, "institution_id": institution_id, "timezone": "UTC"})
    response.raise_for_status()
    return response.json()["access_token"]


def create_offering(http: requests.Session, capacity: int) -> tuple[str, str]:
    """A fresh institution, published course and open offering; returns (offering, inst)."""
    auth = {"Authorization": f"Bearer {dev_token(http, 'bench-admin', ['admin'])}"}
    tag = uuid.uuid4().hex[:8]

    def post(path: str, body: dict | None = None) -> dict:
        response = http.post(f"{GATEWAY}{path}", headers=auth, json=body or {}, timeout=60)
        response.raise_for_status()
        return response.json()

    institution = post("/api/v1/institutions", {"name": f"Rush University {tag}",
                                                "country": "GB", "timezone": "Europe/London"})
    course = post("/api/v1/courses", {"code": f"RUSH{tag}", "title": "Enrollment rush",
                                      "languages": ["en"],
                                      "provider_institution_id": institution["id"]})
    post(f"/api/v1/courses/{course['id']}/publish")
    now = datetime.now(UTC)
    offering = post(f"/api/v1/courses/{course['id']}/offerings", {
        "term": "bench", "starts_on": "2030-01-07", "ends_on": "2030-01-25",
        "timezone": "UTC", "capacity": capacity,
        "enrollment_opens_at": (now - timedelta(hours=1)).isoformat(),
        "enrollment_closes_at": (now + timedelta(hours=6)).isoformat()})
    deadline = time.monotonic() + 120
    while http.get(f"{GATEWAY}/api/v1/offerings/{offering['id']}/roster", headers=auth,
                   timeout=30).status_code != 200:
        if time.monotonic() > deadline:
            raise SystemExit("the enrollment service never learned about the offering")
        time.sleep(0.5)
    return offering["id"], institution["id"]


def run_service(offering_id: str, institution_id: str, students: int, capacity: int,
                concurrency: int) -> Result:
    """Every student enrolls through the gateway."""
    tokens, _ = rush(lambda s, i: dev_token(s, f"rush-{uuid.uuid4().hex[:12]}", ["student"],
                                            institution_id),
                     list(range(students)), concurrency)

    def enroll(session: requests.Session, token: str):
        started = time.perf_counter()
        try:
            response = session.post(f"{GATEWAY}/api/v1/offerings/{offering_id}/enrollments",
                                    headers={"Authorization": f"Bearer {token}"}, json={},
                                    timeout=60)
            status = response.json().get("status") if response.status_code == 201 else None
            code = response.status_code
        except requests.RequestException:
            status, code = None, 599
        return time.perf_counter() - started, code, status

    results, elapsed = rush(enroll, tokens, concurrency)
    # The service's own records decide overbooking, not what the clients were told.
    client = pymongo.MongoClient(MONGO)
    stored = client[ENROLLMENT_DB]["enrollments"].find({"offering_id": offering_id},
                                                       {"status": 1})
    statuses = [row["status"] for row in stored]
    client.close()
    return summarise([r[0] for r in results], elapsed, sum(r[1] >= 500 for r in results),
                     statuses.count("confirmed"), statuses.count("waitlisted"), capacity)


def run_raw(students: int, capacity: int, concurrency: int) -> Result:
    """The bare claim protocol with pymongo, in a scratch database."""
    client = pymongo.MongoClient(MONGO, maxPoolSize=concurrency + 4, tz_aware=True)
    name = f"bench_rush_{uuid.uuid4().hex[:8]}"
    db = client[name]
    places, seats, tickets, enrollments = (db["places"], db["seats"], db["tickets"],
                                           db["enrollments"])
    event = {"type": "lms.enrollment.confirmed.v1", "source": "/bench", "topic": "x",
             "data": {f"field_{i}": "x" * 20 for i in range(8)}, "request_id": "r" * 32}
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
        enrollments.insert_one({"_id": uuid.uuid4().hex, "student": student, "status": status,
                                "version": 1, "outbox": [dict(event, id=uuid.uuid4().hex)],
                                "created_at": datetime.now(UTC)})
        return time.perf_counter() - started, status

    try:
        results, elapsed = rush(enroll, [f"raw-{i}" for i in range(students)], concurrency)
        confirmed = seats.count_documents({})
    finally:
        client.drop_database(name)
        client.close()
    return summarise([r[0] for r in results], elapsed, 0, confirmed,
                     sum(r[1] == "waitlisted" for r in results), capacity)


def main() -> None:
    """Run both sides and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    with requests.Session() as http:
        http.trust_env = False
        offering_id, institution_id = create_offering(http, args.capacity)
    service = run_service(offering_id, institution_id, args.students, args.capacity,
                          args.concurrency)
    raw = run_raw(args.students, args.capacity, args.concurrency)
    ratio = round(service.enrollments_per_s / raw.enrollments_per_s, 2)
    print(f"{args.students} students, capacity {args.capacity}, concurrency "
          f"{args.concurrency} (offering {offering_id})")
    for label, result in (("gateway+service", service), ("raw pymongo", raw)):
        print(f"  {label:16s} {result.enrollments_per_s:8.1f} enrollments/s  "
              f"p50 {result.p50_ms:7.1f} ms  p95 {result.p95_ms:7.1f} ms  "
              f"p99 {result.p99_ms:7.1f} ms  confirmed {result.confirmed}  "
              f"waitlisted {result.waitlisted}  server errors {result.server_errors}  "
              f"overbooked {result.overbooked}")
    print(f"  ratio service/raw: {ratio}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"students": args.students, "capacity": args.capacity,
                       "concurrency": args.concurrency, "service": asdict(service),
                       "raw": asdict(raw), "ratio": ratio}, out, indent=2)


if __name__ == "__main__":
    main()
