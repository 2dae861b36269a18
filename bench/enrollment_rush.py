"""Enrollment rush: N students enrolling through the gateway, against the database's own pace.

Three sides run in one go, at the same concurrency, against the same FerretDB:
- service: `POST /api/v1/offerings/{id}/enrollments` through the gateway (JWT, routing, the
  enrollment API under gunicorn, events stored with each enrollment), one user per student;
- physical baseline: one unique-index insert per student with raw pymongo, in a scratch
  collection of the enrollment service's database (what the database accepts at best);
- claim protocol: the bare claims that keep seats from overselling, in a scratch database.
Overbooking is counted from the service's roster, not from what the clients were told.

Usage (against a running stack, e.g. `make up`, or the test stack via deploy/local/env.sh):
    .venv/bin/python -m bench.enrollment_rush [--students 1000] [--capacity 500]
                                              [--concurrency 32] [--json out.json]
URLs come from MERIDIAN_GATEWAY_URL and MERIDIAN_MONGO_URI (defaults: the local stack).
Aim: the service reaches at least 0.1 of the physical baseline, with 0 server errors and
0 overbooked.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import uuid
from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import requests

from bench._rush_baselines import Result, run_claims, run_physical, rush, summarise
from bench._stack_client import get_json, post_json, publish, token

GATEWAY = os.environ.get("MERIDIAN_GATEWAY_URL", "http://127.0.0.1:8080")
MONGO = os.environ.get("MERIDIAN_MONGO_URI", "mongodb://127.0.0.1:27017/")
ENROLLMENT_DB = os.environ.get("MERIDIAN_ENROLLMENT_DB", "meridian_enrollment")
AIM = 0.1


def create_offering(http: requests.Session, capacity: int) -> tuple[str, str]:
    """A fresh institution, published course and open offering; returns (offering, inst)."""
    auth = token(http, GATEWAY, "bench-admin", ["admin"])
    tag = uuid.uuid4().hex[:8]

    def post(path: str, body: dict | None = None) -> dict:
        return post_json(http, f"{GATEWAY}{path}", auth, body)

    institution = post("/api/v1/institutions", {"name": f"Rush University {tag}",
                                                "country": "GB", "timezone": "Europe/London"})
    course = post("/api/v1/courses", {"code": f"RUSH{tag}", "title": "Enrollment rush",
                                      "languages": ["en"],
                                      "provider_institution_id": institution["id"]})
    publish(http, GATEWAY, auth, course["id"])
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
    headers, _ = rush(lambda s, i: token(s, GATEWAY, f"rush-{uuid.uuid4().hex[:12]}",
                                         ["student"], institution_id=institution_id),
                      list(range(students)), concurrency)

    def enroll(session: requests.Session, header: dict):
        started = time.perf_counter()
        try:
            response = session.post(f"{GATEWAY}/api/v1/offerings/{offering_id}/enrollments",
                                    headers=header, json={}, timeout=60)
            status = response.json().get("status") if response.status_code == 201 else None
            code = response.status_code
        except requests.RequestException:
            status, code = None, 599
        return time.perf_counter() - started, code, status

    results, elapsed = rush(enroll, headers, concurrency)
    statuses = Counter(r[1] for r in results)
    # The service's own records decide overbooking (its roster), not what clients were told.
    with requests.Session() as http:
        http.trust_env = False
        roster = get_json(http, f"{GATEWAY}/api/v1/offerings/{offering_id}/roster",
                          token(http, GATEWAY, "bench-admin", ["admin"]))
    kept = {status: len(roster.get(status, [])) for status in ("confirmed", "waitlisted")}
    print(f"  gateway answers: {dict(sorted(statuses.items()))}")
    return summarise([r[0] for r in results], elapsed,
                     sum(n for s, n in statuses.items() if not 200 <= s < 300),
                     sum(n for s, n in statuses.items() if s >= 500), kept["confirmed"],
                     kept["waitlisted"], capacity)


def main() -> None:
    """Run the three sides and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    with requests.Session() as http:
        http.trust_env = False
        offering_id, institution_id = create_offering(http, args.capacity)
    print(f"{args.students} students, capacity {args.capacity}, concurrency "
          f"{args.concurrency} (offering {offering_id})")
    service = run_service(offering_id, institution_id, args.students, args.capacity,
                          args.concurrency)
    physical = run_physical(MONGO, ENROLLMENT_DB, args.students, args.concurrency)
    claims = run_claims(MONGO, args.students, args.capacity, args.concurrency)
    for label, result in (("gateway+service", service), ("physical inserts", physical),
                          ("claim protocol", claims)):
        print(f"  {label:16s} {result.enrollments_per_s:8.1f} /s  "
              f"p50 {result.p50_ms:7.1f} ms  p95 {result.p95_ms:7.1f} ms  "
              f"p99 {result.p99_ms:7.1f} ms  n {result.requests}  non-2xx {result.non_2xx}  "
              f"server errors {result.server_errors}  confirmed {result.confirmed}  "
              f"waitlisted {result.waitlisted}  overbooked {result.overbooked}")
    ratio = round(service.enrollments_per_s / physical.enrollments_per_s, 3)
    claim_ratio = round(service.enrollments_per_s / claims.enrollments_per_s, 3)
    met = ratio >= AIM and service.server_errors == 0 and service.overbooked == 0
    print(f"  ratio service/physical {ratio} (aim >= {AIM}, 0 server errors, 0 overbooked: "
          f"{'met' if met else 'not met'}); service/claim protocol {claim_ratio}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"students": args.students, "capacity": args.capacity,
                       "concurrency": args.concurrency, "service": asdict(service),
                       "physical": asdict(physical), "claims": asdict(claims),
                       "ratio": ratio, "claim_ratio": claim_ratio}, out, indent=2)


if __name__ == "__main__":
    main()
