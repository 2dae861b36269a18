"""Timetable reads for a student with 10 offerings: through the gateway versus direct.

Usage (against a running stack, e.g. `make up`; URLs from MERIDIAN_* variables):
    .venv/bin/python -m bench.timetable_reads [--rounds 3] [--requests 100] [--clients 1,8]

Setup is created once per stack and reused, all through the public API: ten offerings of one
course (code BENCHTT), one student in Changchun enrolled in all ten through the enrollment
service, and 24 weekly sessions per offering (240 in all) scheduled by the course faculty.
Each measured request is the student's first timetable page (100 sessions, `tz=Asia/Shanghai`).
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import threading
import time
from datetime import UTC, datetime, timedelta

import requests

from bench._stack_client import get_json, token

CODE, OFFERINGS, STUDENT = "BENCHTT", 10, "bench-tt-student"
TIMETABLE = "/api/v1/me/timetable?tz=Asia/Shanghai&from=2027-03-01&to=2027-05-31&per_page=100"
SESSIONS = OFFERINGS * 24


def _course(http, gateway: str, admin: dict) -> tuple[str, str]:
    found = get_json(http, f"{gateway}/api/v1/courses?q={CODE}")["items"]
    course = next((c for c in found if c["code"] == CODE), None)
    if course is not None:
        return course["id"], course["provider_institution_id"]
    institution = http.post(f"{gateway}/api/v1/institutions", headers=admin, timeout=30, json={
        "name": "Bench timetable university", "country": "CN", "timezone": "Asia/Shanghai"})
    institution.raise_for_status()
    faculty = [{"user_id": "bench-tt-lead", "role": "lead"},
               *({"user_id": f"bench-tt-ins{i}", "role": "instructor"} for i in range(OFFERINGS))]
    made = http.post(f"{gateway}/api/v1/courses", headers=admin, timeout=30, json={
        "code": CODE, "title": "Timetable benchmark", "languages": ["en"], "faculty": faculty,
        "provider_institution_id": institution.json()["id"]})
    made.raise_for_status()
    http.post(f"{gateway}/api/v1/courses/{made.json()['id']}/publish", headers=admin,
              timeout=30).raise_for_status()
    return made.json()["id"], institution.json()["id"]


def _offerings(http, gateway: str, admin: dict, course_id: str) -> list[str]:
    path = f"{gateway}/api/v1/courses/{course_id}/offerings?per_page=100"
    existing = [o["id"] for o in get_json(http, path)["items"]]
    now = datetime.now(UTC)
    while len(existing) < OFFERINGS:
        made = http.post(f"{gateway}/api/v1/courses/{course_id}/offerings", headers=admin,
                         timeout=30, json={
                             "term": f"bench-{len(existing)}", "starts_on": "2027-03-01",
                             "ends_on": "2027-05-31", "timezone": "Europe/London",
                             "capacity": 50,
                             "enrollment_opens_at": (now - timedelta(days=1)).isoformat(),
                             "enrollment_closes_at": (now + timedelta(days=365)).isoformat()})
        made.raise_for_status()
        existing.append(made.json()["id"])
    return sorted(existing)


def _until(predicate, what: str, seconds: float = 1200) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(1)


def setup(http, gateway: str, classroom: str) -> dict:
    """The student's bearer header, once the ten offerings and 240 sessions are in place."""
    admin = token(http, gateway, "bench-admin", ["admin"])
    course_id, institution_id = _course(http, gateway, admin)
    offerings = _offerings(http, gateway, admin, course_id)
    student = token(http, gateway, STUDENT, ["student"], "Asia/Shanghai", institution_id)
    lead = token(http, gateway, "bench-tt-lead", ["instructor"], "Europe/London")
    for offering_id in offerings:
        enroll = f"{gateway}/api/v1/offerings/{offering_id}/enrollments"
        _until(lambda url=enroll: http.post(url, headers=student, json={},
                                            timeout=30).status_code in (201, 409),
               "the enrollment service to accept the enrollment")
    for n, offering_id in enumerate(offerings):
        sessions = f"{classroom}/api/v1/offerings/{offering_id}/sessions"
        _until(lambda url=sessions: http.get(url, headers=lead, timeout=30).status_code == 200,
               "the classroom to know the offering")
        if http.get(sessions, headers=lead, timeout=30).json()["total"] >= 24:
            continue
        for day, kind in (("01", "lecture"), ("03", "seminar")):
            http.post(sessions, headers=lead, timeout=60, json={
                "kind": kind, "title": f"Bench {kind} {n}",
                "start": f"2027-03-{day}T{8 + n:02d}:00", "timezone": "Europe/London",
                "duration_minutes": 50, "instructors": [f"bench-tt-ins{n}"],
                "repeat": {"frequency": "weekly", "count": 12}}).raise_for_status()
    _until(lambda: http.get(classroom + TIMETABLE, headers=student,
                            timeout=30).json()["total"] >= SESSIONS,
           "the classroom roster to hold the student in all ten offerings")
    return student


def run_load(url: str, headers: dict, clients: int, total: int) -> dict:
    """`total` GETs of `url` from `clients` threads; throughput and latency percentiles."""
    tickets, latencies, errors, lock = itertools.count(), [], [0], threading.Lock()

    def client() -> None:
        mine, failed = [], 0
        with requests.Session() as http:
            http.trust_env = False
            while next(tickets) < total:
                started = time.perf_counter()
                try:
                    ok = http.get(url, headers=headers, timeout=60).status_code == 200
                except requests.RequestException:
                    ok = False
                mine.append(time.perf_counter() - started)
                failed += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {"rps": len(latencies) / elapsed, "p50": cuts[49] * 1000, "p99": cuts[98] * 1000,
            "errors": errors[0]}


def main() -> None:
    """Set up (or reuse), then interleave direct and gateway rounds; print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--clients", default="1,8")
    args = parser.parse_args()
    gateway = os.environ.get("MERIDIAN_GATEWAY_URL", "http://127.0.0.1:8080").rstrip("/")
    classroom = os.environ.get("MERIDIAN_CLASSROOM_URL", "http://127.0.0.1:8103").rstrip("/")
    with requests.Session() as http:
        http.trust_env = False
        started = time.monotonic()
        student = setup(http, gateway, classroom)
    print(f"setup ready in {time.monotonic() - started:.0f} s: 1 student, {OFFERINGS} offerings, "
          f"{SESSIONS} sessions; reading 100 per request")
    run_load(classroom + TIMETABLE, student, 2, 20)
    for clients in (int(c) for c in args.clients.split(",")):
        runs = {"direct": [], "gateway": []}
        for _ in range(args.rounds):
            for name, base in (("direct", classroom), ("gateway", gateway)):
                runs[name].append(run_load(base + TIMETABLE, student, clients, args.requests))
        medians = {name: {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
                   for name, rounds in runs.items()}
        for name, m in medians.items():
            print(f"clients {clients:<2} {name:<8} {m['rps']:7.1f} req/s  p50 {m['p50']:7.1f} ms"
                  f"  p99 {m['p99']:7.1f} ms  errors {m['errors']:.0f}")
        print(f"clients {clients:<2} ratio gateway/direct: throughput "
              f"{medians['gateway']['rps'] / medians['direct']['rps']:.2f}, p50 "
              f"{medians['gateway']['p50'] / medians['direct']['p50']:.2f} "
              f"(+{medians['gateway']['p50'] - medians['direct']['p50']:.1f} ms)")


if __name__ == "__main__":
    main()
