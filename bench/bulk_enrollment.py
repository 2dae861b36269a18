"""Bulk enrollment: what one student costs in a bulk call, against one single enrollment.

Both sides run one after the other at concurrency 1 against the same offering kind, straight
at the enrollment service (no gateway timeout in the way, so a slow bulk call still finishes):
- single: `POST /api/v1/offerings/{id}/enrollments` per student (the baseline);
- bulk: `POST /api/v1/offerings/{id}/enrollments/bulk` for N students by an admin; a 202 job is
  polled until it is done, a 200 (the synchronous form) counts as done on arrival.
The figure is the ratio of the per-student medians (bulk wall time / N vs single latency).

Usage (against a running stack, e.g. `make up`, or the test stack via deploy/local/env.sh):
    .venv/bin/python -m bench.bulk_enrollment [--students 500] [--singles 40] [--json out.json]
Aim: a student in a bulk job costs at most half of a single enrollment (a fraction of it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
import uuid

import requests

from bench._stack_client import token
from bench.enrollment_rush import GATEWAY, create_offering

SERVICE = os.environ.get("MERIDIAN_ENROLLMENT_URL", "http://127.0.0.1:8102")
AIM = 0.5


def single_costs(http: requests.Session, offering_id: str, institution_id: str,
                 students: int) -> list[float]:
    """Seconds per single enrollment, one student after the other."""
    costs = []
    for _ in range(students):
        header = token(http, GATEWAY, f"one-{uuid.uuid4().hex[:12]}", ["student"],
                       institution_id=institution_id)
        started = time.perf_counter()
        answer = http.post(f"{SERVICE}/api/v1/offerings/{offering_id}/enrollments",
                           headers=header, json={}, timeout=120)
        costs.append(time.perf_counter() - started)
        answer.raise_for_status()
    return costs


def bulk_cost(http: requests.Session, offering_id: str, institution_id: str,
              students: int) -> tuple[float, dict]:
    """Seconds until a bulk call for `students` students is done, and its summary."""
    admin = token(http, GATEWAY, "bench-admin", ["admin"])
    ids = [f"bulk-{uuid.uuid4().hex[:12]}" for _ in range(students)]
    started = time.perf_counter()
    answer = http.post(f"{SERVICE}/api/v1/offerings/{offering_id}/enrollments/bulk",
                       headers=admin, json={"student_ids": ids,
                                            "institution_id": institution_id}, timeout=900)
    answer.raise_for_status()
    body = answer.json()
    if answer.status_code == 202:
        job = f"{SERVICE}{answer.headers['Location']}"
        while body["status"] != "done":
            time.sleep(0.5)
            body = http.get(job, headers=admin, timeout=60).json()
    return time.perf_counter() - started, body["summary"]


def main() -> None:
    """Run both sides and print the per-student comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--singles", type=int, default=40)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    with requests.Session() as http:
        http.trust_env = False
        one, one_institution = create_offering(http, args.singles * 2)
        many, many_institution = create_offering(http, args.students * 2)
        singles = single_costs(http, one, one_institution, args.singles)
        seconds, summary = bulk_cost(http, many, many_institution, args.students)
    single = statistics.median(singles)
    per_student = seconds / args.students
    ratio = round(per_student / single, 3)
    print(f"  single enrollment  median {single * 1000:7.1f} ms  (n {len(singles)})")
    print(f"  bulk of {args.students:<5d}     {seconds:7.2f} s  = {per_student * 1000:7.1f} ms "
          f"per student  summary {summary}")
    print(f"  ratio bulk/single per student {ratio} (aim <= {AIM}: "
          f"{'met' if ratio <= AIM else 'not met'})")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"single_ms": single * 1000, "bulk_seconds": seconds,
                       "students": args.students, "per_student_ms": per_student * 1000,
                       "ratio": ratio, "summary": summary}, out, indent=2)


if __name__ == "__main__":
    main()
