"""Portal pages versus the API calls each one makes, for a student with 10 offerings.

Usage (against a running stack, e.g. `make up`; URLs from MERIDIAN_* variables):
    .venv/bin/python -m bench.portal_pages [--rounds 3] [--requests 60] [--clients 1,8]

Setup is bench/timetable_reads.py's (reused, all through the public API): one Changchun
student enrolled in ten offerings of one course with 240 sessions. Each measured unit is either
one page through the gateway with the student's portal session (home, course search, the
course page with its ten offerings, the timetable), or the same API calls that page makes, in
the same order, with the student's bearer token. Rounds alternate; medians per side, then the
ratio page/API (aim: at most 1.3).
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import statistics
import threading
import time
from datetime import UTC, date, datetime, timedelta

import requests

from bench import timetable_reads
from bench._stack_client import get_json

TZ = "Asia/Shanghai"
TERM_START = date(2027, 3, 1)
UNREAD = "/api/v1/me/notifications?unread=true&per_page=1"


def _portal_session(gateway: str, institution_id: str) -> dict:
    """The student's portal cookies, signed in through the dev sign-in form."""
    with requests.Session() as http:
        http.trust_env = False
        form = http.get(f"{gateway}/dev/sign-in", timeout=30)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        done = http.post(f"{gateway}/dev/sign-in", timeout=30, allow_redirects=False, data={
            "csrf_token": csrf, "sub": timetable_reads.STUDENTS[0], "roles": "student",
            "institution_id": institution_id, "timezone": TZ, "locale": "en", "next": "/"})
        assert done.status_code == 302, done.text
        return http.cookies.get_dict()


def _plans(gateway: str, course: dict, offerings: list[str]) -> dict[str, tuple[str, list[str]]]:
    """Per page: its URL and the API URLs it calls (as the portal's views do)."""
    now = datetime.now(UTC)
    home = (f"/api/v1/me/timetable?tz={TZ}&from={(now - timedelta(hours=3)).isoformat()}"
            f"&to={(now + timedelta(days=14)).isoformat()}&per_page=100").replace("+", "%2B")
    # Four weeks of the benchmark's term: 80 of the student's sessions.
    timetable = (f"/api/v1/me/timetable?tz={TZ}&from={TERM_START}"
                 f"&to={TERM_START + timedelta(days=28)}&per_page=100&page=1")
    course_page = [f"/api/v1/courses/{course['id']}", "/api/v1/me/enrollments?per_page=100",
                   f"/api/v1/institutions/{course['provider_institution_id']}",
                   *(f"/api/v1/offerings/{o}" for o in offerings)]
    plans = {
        "home": ("/", [home]),
        # The provider picker's institutions are kept a minute per portal worker (pickers.py),
        # and the invitations link's count a minute per user: neither is a per-page call.
        "course search": (f"/courses?q={timetable_reads.CODE}",
                          [f"/api/v1/courses?q={timetable_reads.CODE}&page=1&per_page=20"]),
        "course page": (f"/courses/{course['id']}", course_page),
        "timetable": (f"/timetable?from={TERM_START}&to={TERM_START + timedelta(days=27)}",
                      [timetable]),
    }
    # Every signed-in page also asks for the bell's unread count (beside its own calls).
    return {name: (page, [*calls, UNREAD]) for name, (page, calls) in plans.items()}


def run_load(urls: list[str], auth: dict, clients: int, total: int) -> dict:
    """`total` units (each: GET every URL in order) from `clients` threads; p50 and rate."""
    tickets, latencies, errors, lock = itertools.count(), [], [0], threading.Lock()

    def client() -> None:
        mine, failed = [], 0
        with requests.Session() as http:
            http.trust_env = False
            http.cookies.update(auth.get("cookies", {}))
            while next(tickets) < total:
                started = time.perf_counter()
                for url in urls:
                    try:
                        status = http.get(url, headers=auth.get("headers"), timeout=60,
                                          allow_redirects=False).status_code
                    except requests.RequestException:
                        status = 0
                    failed += status != 200
                mine.append(time.perf_counter() - started)
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
    return {"rps": len(latencies) / elapsed, "p50": statistics.median(latencies) * 1000,
            "errors": errors[0]}


def main() -> None:
    """Set up (or reuse), then alternate page and API rounds; print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--pages", default="", help="comma-separated page names (default all)")
    args = parser.parse_args()
    gateway = os.environ.get("MERIDIAN_GATEWAY_URL", "http://127.0.0.1:8080").rstrip("/")
    classroom = os.environ.get("MERIDIAN_CLASSROOM_URL", "http://127.0.0.1:8103").rstrip("/")
    with requests.Session() as http:
        http.trust_env = False
        bearer = timetable_reads.setup(http, gateway, classroom)[0]
        found = get_json(http, f"{gateway}/api/v1/courses?q={timetable_reads.CODE}")["items"]
        course = next(c for c in found if c["code"] == timetable_reads.CODE)
        offerings = [o["id"] for o in get_json(
            http, f"{gateway}/api/v1/courses/{course['id']}")["offerings"]]
    page_auth = {"cookies": _portal_session(gateway, course["provider_institution_id"])}
    api_auth = {"headers": bearer}
    wanted = {p.strip() for p in args.pages.split(",") if p.strip()}
    for name, (page, calls) in _plans(gateway, course, offerings).items():
        if wanted and name not in wanted:
            continue
        page_urls, api_urls = [gateway + page], [gateway + c for c in calls]
        run_load(page_urls, page_auth, 2, 6)
        run_load(api_urls, api_auth, 2, 6)
        for clients in (int(c) for c in args.clients.split(",")):
            runs = {"page": [], "api": []}
            for _ in range(args.rounds):
                runs["page"].append(run_load(page_urls, page_auth, clients, args.requests))
                runs["api"].append(run_load(api_urls, api_auth, clients, args.requests))
            med = {side: {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
                   for side, rounds in runs.items()}
            print(f"{name:<13} clients {clients:<2} page p50 {med['page']['p50']:7.1f} ms "
                  f"({med['page']['rps']:6.1f}/s)  its {len(calls):>2} API calls p50 "
                  f"{med['api']['p50']:7.1f} ms ({med['api']['rps']:6.1f}/s)  ratio "
                  f"{med['page']['p50'] / med['api']['p50']:.2f}  errors "
                  f"{med['page']['errors'] + med['api']['errors']:.0f}")


if __name__ == "__main__":
    main()
