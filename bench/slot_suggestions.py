"""Fair-hours slot suggestions for 2,000 participants in 26 zones over four weeks.

Usage (against a running stack, e.g. `make up`; URLs and Kafka from MERIDIAN_* variables):
    .venv/bin/python -m bench.slot_suggestions [--runs 10]

Setup is created once per stack and reused: 46 institutions in 26 zones and one offering
(course code BENCHFAIR) through the catalog API, and 2,000 confirmed enrollments published
as `lms.enrollment.confirmed.v1` events built with the shared contracts, exactly as the
enrollment service publishes them. (Enrolling 2,000 students through the enrollment API costs
about a second each on a loaded two-core machine; the classroom only ever sees the events.)
The classroom worker builds its roster from those events; the script waits until it has.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import UTC, date, datetime, timedelta

import requests

from bench._stack_client import get_json, post_json, publish, token
from meridian_classroom.domain.rotation import plan
from meridian_classroom.domain.slots import SlotQuery, rank
from meridian_common.config import load_settings
from tests.classroom_harness import Publisher, enrollment_event

ZONES = [("GB", "Europe/London"), ("FR", "Europe/Paris"), ("DE", "Europe/Berlin"),
         ("GR", "Europe/Athens"), ("TR", "Europe/Istanbul"), ("EG", "Africa/Cairo"),
         ("NG", "Africa/Lagos"), ("KE", "Africa/Nairobi"), ("ZA", "Africa/Johannesburg"),
         ("AE", "Asia/Dubai"), ("PK", "Asia/Karachi"), ("IN", "Asia/Kolkata"),
         ("NP", "Asia/Kathmandu"), ("BD", "Asia/Dhaka"), ("TH", "Asia/Bangkok"),
         ("CN", "Asia/Shanghai"), ("JP", "Asia/Tokyo"), ("KR", "Asia/Seoul"),
         ("AU", "Australia/Sydney"), ("NZ", "Pacific/Auckland"), ("BR", "America/Sao_Paulo"),
         ("AR", "America/Argentina/Buenos_Aires"), ("US", "America/New_York"),
         ("CA", "America/Toronto"), ("MX", "America/Mexico_City"), ("CL", "America/Santiago")]
STUDENTS, INSTITUTIONS, CODE = 2000, 46, "BENCHFAIR"
FACULTY = [("bench-lead", "lead", "Europe/London"), ("bench-ins", "instructor", "Europe/Paris"),
           *((f"bench-ta{i}", "ta", zone) for i, (_, zone) in enumerate(ZONES[10:16]))]
BODY = {"duration_minutes": 90, "from": "2027-03-15", "to": "2027-04-11", "occurrences": 12,
        "earliest_local": "08:00", "latest_local": "21:00"}


def _existing(http, gateway: str, admin: dict) -> tuple[str, list[str]] | None:
    found = get_json(http, f"{gateway}/api/v1/courses?q={CODE}", admin)
    course = next((c for c in found["items"] if c["code"] == CODE), None)
    if course is None:
        return None
    offerings = get_json(http, f"{gateway}/api/v1/courses/{course['id']}/offerings")
    institutions = get_json(http, f"{gateway}/api/v1/institutions?alliance=benchfair"
                                  "&per_page=100")["items"]
    return offerings["items"][0]["id"], sorted(i["id"] for i in institutions)


def _create(http, gateway: str, admin: dict) -> tuple[str, list[str]]:
    institutions = []
    for n in range(INSTITUTIONS):  # patient POSTs: one admin creating 46 is above 20/s
        country, zone = ZONES[n % len(ZONES)]
        institutions.append(post_json(http, f"{gateway}/api/v1/institutions", admin, {
            "name": f"Bench university {n}", "country": country, "timezone": zone,
            "alliances": ["benchfair"]})["id"])
    course = post_json(http, f"{gateway}/api/v1/courses", admin, {
        "code": CODE, "title": "Fair hours benchmark", "provider_institution_id": institutions[0],
        "languages": ["en"], "faculty": [{"user_id": u, "role": r} for u, r, _ in FACULTY]})
    publish(http, gateway, admin, course["id"])
    now = datetime.now(UTC)
    offering = post_json(http, f"{gateway}/api/v1/courses/{course['id']}/offerings", admin, {
        "term": "bench", "starts_on": "2027-03-15", "ends_on": "2027-04-11",
        "timezone": "Europe/London", "capacity": 2500,
        "enrollment_opens_at": (now - timedelta(days=1)).isoformat(),
        "enrollment_closes_at": (now + timedelta(days=365)).isoformat()})
    return offering["id"], sorted(institutions)


def participants(http, classroom: str, offering_id: str, lead: dict) -> int:
    """How many people the classroom currently counts for the offering (0 until it knows it)."""
    try:
        answer = http.post(f"{classroom}/api/v1/offerings/{offering_id}/slot-suggestions",
                           headers=lead, timeout=60, json={**BODY, "to": BODY["from"]})
    except requests.RequestException:
        return 0  # the service may be restarting; the caller waits with a deadline
    return answer.json()["participants"]["total"] if answer.status_code == 200 else 0


def setup(http, gateway: str, classroom: str) -> tuple[str, dict]:
    """The benchmark offering with its 2,000 students and 8 faculty, created if missing."""
    admin = token(http, gateway, "bench-admin", ["admin"])
    offering_id, institutions = _existing(http, gateway, admin) or _create(http, gateway, admin)
    faculty = {u: token(http, gateway, u, ["instructor"], tz) for u, _, tz in FACULTY}
    lead = faculty["bench-lead"]
    deadline = time.monotonic() + 1200
    while participants(http, classroom, offering_id, lead) == 0:
        assert time.monotonic() < deadline, "the classroom never learned the offering"
        time.sleep(1)
    for header in faculty.values():  # each call remembers that person's token zone
        http.get(f"{classroom}/api/v1/me/timetable", headers=header, timeout=30)
    if participants(http, classroom, offering_id, lead) < STUDENTS + len(FACULTY):
        publisher = Publisher(load_settings("bench"))
        publisher.publish(*(enrollment_event(
            "confirmed", f"enr-{CODE}-{n}", offering_id, f"bench-student-{n}", "confirmed", 1,
            institutions[n % len(institutions)]) for n in range(STUDENTS)))
        publisher.close()
    started = time.monotonic()
    while (count := participants(http, classroom, offering_id, lead)) < STUDENTS + len(FACULTY):
        assert time.monotonic() < deadline, f"roster stuck at {count}"
        print(f"  waiting for the classroom roster: {count} of {STUDENTS + len(FACULTY)} "
              f"({time.monotonic() - started:.0f} s)", flush=True)
        time.sleep(10)
    return offering_id, lead


def timed(http, url: str, headers: dict, body: dict, runs: int
          ) -> tuple[list[float], dict, int]:
    """Seconds per 2xx request for `runs` requests (after one warm-up), the last good answer,
    and how many answers were not 2xx."""
    answer = post_json(http, url, headers, body)
    seconds, non_2xx = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        reply = http.post(url, headers=headers, json=body, timeout=120)
        if reply.ok:
            seconds.append(time.perf_counter() - started)
            answer = reply.json()
        else:
            non_2xx += 1
    return seconds or [float("nan")], answer, non_2xx


def compute_only(answer: dict, body: dict) -> float:
    """Seconds the ranking and rotation take in-process for the same zone groups."""
    groups = {z["timezone"]: z["count"] for z in answer["participants"]["zones"]}
    first, last = date.fromisoformat(body["from"]), date.fromisoformat(body["to"])
    days = tuple(first + timedelta(days=i) for i in range((last - first).days + 1))
    query = SlotQuery(answer["timezone"], days, body["duration_minutes"], 8 * 60, 21 * 60,
                      body["step_minutes"])
    started = time.perf_counter()
    plan(rank(query, groups), body["occurrences"], len(days))
    return time.perf_counter() - started


def _stats(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms  min {ms[0]:7.1f} ms"


def main() -> None:
    """Set up (or reuse), measure direct and through the gateway, print figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    gateway = os.environ.get("MERIDIAN_GATEWAY_URL", "http://127.0.0.1:8080").rstrip("/")
    classroom = os.environ.get("MERIDIAN_CLASSROOM_URL", "http://127.0.0.1:8103").rstrip("/")
    with requests.Session() as http:
        http.trust_env = False
        started = time.monotonic()
        offering_id, lead = setup(http, gateway, classroom)
        print(f"setup ready in {time.monotonic() - started:.0f} s (offering {offering_id})")
        path = f"/api/v1/offerings/{offering_id}/slot-suggestions"
        for step in (30, 15):
            body = {**BODY, "step_minutes": step}
            direct, answer, direct_odd = timed(http, classroom + path, lead, body, args.runs)
            via_gateway, _, gateway_odd = timed(http, gateway + path, lead, body, args.runs)
            compute = min(compute_only(answer, body) for _ in range(3))
            people, zones = answer["participants"]["total"], len(answer["participants"]["zones"])
            print(f"step {step:>2} min, {people} people in {zones} zones, 28 days, "
                  f"{len(answer['candidates'])} shown of {1440 // step} candidates")
            print(f"  direct   {_stats(direct)}  non-2xx {direct_odd}")
            print(f"  gateway  {_stats(via_gateway)}  non-2xx {gateway_odd}")
            ratio = statistics.median(via_gateway) / statistics.median(direct)
            print(f"  ratio gateway/direct (p50) {ratio:.2f}; "
                  f"in-process ranking+rotation {compute * 1000:.1f} ms")
            best = answer["candidates"][:3]
            print("  best: " + ", ".join(f"{c['start_local']} London covers {c['covered']}/"
                                         f"{c['total']}" for c in best))
            if answer["rotation"]:
                rotation = answer["rotation"]
                print(f"  rotation {rotation['slots']}: worst zone outside "
                      f"{rotation['worst_share_outside']:.0%} of sessions "
                      f"(average {rotation['average_share_outside']:.0%})")


if __name__ == "__main__":
    main()
