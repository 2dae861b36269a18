"""Timetable reads of students with 10 offerings each: through the gateway versus direct.

Usage (against a running stack, e.g. `make up`; URLs from MERIDIAN_* variables):
    .venv/bin/python -m bench.timetable_reads [--rounds 3] [--requests 100] [--clients 1,8]

Setup is created once per stack and reused, all through the public API: ten offerings of one
course (code BENCHTT), 32 students of a Changchun university rostered into all ten by an admin
(bulk enrollment), and 24 weekly sessions per offering (240 in all) scheduled by the faculty.
Each measured request is one student's first timetable page (100 sessions,
`tz=Asia/Shanghai`); requests rotate over the students, so none comes near the gateway's
per-user rate limit. Every figure carries its count of non-2xx answers.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime, timedelta

import requests

from bench._load import median_of, run_load
from bench._stack_client import get_json, post_json, publish, token, tokens

CODE, OFFERINGS = "BENCHTT", 10
STUDENTS = [f"bench-tt-student-{n:02d}" for n in range(32)]
TIMETABLE = "/api/v1/me/timetable?tz=Asia/Shanghai&from=2027-03-01&to=2027-05-31&per_page=100"
SESSIONS = OFFERINGS * 24


def _course(http, gateway: str, admin: dict) -> tuple[str, str]:
    found = get_json(http, f"{gateway}/api/v1/courses?q={CODE}")["items"]
    course = next((c for c in found if c["code"] == CODE), None)
    if course is not None:
        return course["id"], course["provider_institution_id"]
    institution = post_json(http, f"{gateway}/api/v1/institutions", admin, {
        "name": "Bench timetable university", "country": "CN", "timezone": "Asia/Shanghai"})
    faculty = [{"user_id": "bench-tt-lead", "role": "lead"},
               *({"user_id": f"bench-tt-ins{i}", "role": "instructor"} for i in range(OFFERINGS))]
    made = post_json(http, f"{gateway}/api/v1/courses", admin, {
        "code": CODE, "title": "Timetable benchmark", "languages": ["en"], "faculty": faculty,
        "provider_institution_id": institution["id"]})
    publish(http, gateway, admin, made["id"])
    return made["id"], institution["id"]


def _offerings(http, gateway: str, admin: dict, course_id: str) -> list[str]:
    path = f"{gateway}/api/v1/courses/{course_id}/offerings?per_page=100"
    existing = [o["id"] for o in get_json(http, path)["items"]]
    now = datetime.now(UTC)
    while len(existing) < OFFERINGS:
        made = post_json(http, f"{gateway}/api/v1/courses/{course_id}/offerings", admin, {
            "term": f"bench-{len(existing)}", "starts_on": "2027-03-01", "ends_on": "2027-05-31",
            "timezone": "Europe/London", "capacity": 50,
            "enrollment_opens_at": (now - timedelta(days=1)).isoformat(),
            "enrollment_closes_at": (now + timedelta(days=365)).isoformat()})
        existing.append(made["id"])
    return sorted(existing)


def _until(predicate, what: str, seconds: float = 1200) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(1)


def setup(http, gateway: str, classroom: str) -> list[dict]:
    """The students' bearer headers, once the ten offerings and 240 sessions are in place."""
    admin = token(http, gateway, "bench-admin", ["admin"])
    course_id, institution_id = _course(http, gateway, admin)
    offerings = _offerings(http, gateway, admin, course_id)
    students = tokens(http, gateway, STUDENTS, ["student"], "Asia/Shanghai", institution_id)
    lead = token(http, gateway, "bench-tt-lead", ["instructor"], "Europe/London")
    for offering_id in offerings:
        roster = f"{gateway}/api/v1/offerings/{offering_id}/roster"
        _until(lambda url=roster: http.get(url, headers=admin, timeout=30).status_code == 200,
               "the enrollment service to know the offering")
        present = {e["student_id"] for e in get_json(http, roster, admin)["confirmed"]}
        missing = [s for s in STUDENTS if s not in present]
        if missing:  # one admin call (the self-enrollment limit is per student and minute)
            job = post_json(http, f"{gateway}/api/v1/offerings/{offering_id}/enrollments/bulk",
                            admin, {"student_ids": missing, "institution_id": institution_id})
            _until(lambda j=job["id"]: get_json(http, f"{gateway}/api/v1/enrollment-jobs/{j}",
                                                admin)["status"] == "done",
                   "the bulk enrollment job to finish")
    for n, offering_id in enumerate(offerings):
        sessions = f"{classroom}/api/v1/offerings/{offering_id}/sessions"
        _until(lambda url=sessions: http.get(url, headers=lead, timeout=30).status_code == 200,
               "the classroom to know the offering")
        if get_json(http, sessions, lead)["total"] >= 24:
            continue
        for day, kind in (("01", "lecture"), ("03", "seminar")):
            post_json(http, sessions, lead, {
                "kind": kind, "title": f"Bench {kind} {n}",
                "start": f"2027-03-{day}T{8 + n:02d}:00", "timezone": "Europe/London",
                "duration_minutes": 50, "instructors": [f"bench-tt-ins{n}"],
                "repeat": {"frequency": "weekly", "count": 12}})
    for student in students:
        _until(lambda s=student: http.get(classroom + TIMETABLE, headers=s,
                                          timeout=30).json().get("total", 0) >= SESSIONS,
               "the classroom roster to hold every student in all ten offerings")
    return students


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
        students = setup(http, gateway, classroom)
    print(f"setup ready in {time.monotonic() - started:.0f} s: {len(students)} students, "
          f"{OFFERINGS} offerings, {SESSIONS} sessions; reading 100 per request")

    def reading(base: str):
        return lambda n: (base + TIMETABLE, students[n % len(students)])

    run_load(reading(classroom), 2, 30, max_requests=20)
    for clients in (int(c) for c in args.clients.split(",")):
        runs = {"direct": [], "gateway": []}
        for _ in range(args.rounds):
            for name, base in (("direct", classroom), ("gateway", gateway)):
                runs[name].append(run_load(reading(base), clients, 120,
                                           max_requests=args.requests))
        medians = {name: median_of(figures) for name, figures in runs.items()}
        for name, figure in medians.items():
            print(f"clients {clients:<2} {name:<8} {figure.text()}")
        direct, via = medians["direct"], medians["gateway"]
        print(f"clients {clients:<2} ratio gateway/direct: throughput {via.rps / direct.rps:.2f}, "
              f"p50 {via.p50_ms / direct.p50_ms:.2f} (+{via.p50_ms - direct.p50_ms:.1f} ms)")


if __name__ == "__main__":
    main()
