"""What the read benchmark reads: courses, offerings and enrolled students found in the stack.

Found through the public API of each service (directly, so the setup spends no gateway rate
limit), from whatever data is loaded: the demo (`make up`), the demo scaled up, or anything else.
Students on offerings with live sessions come first, so their timetables are not empty.
"""

from __future__ import annotations

import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

from bench._stack_client import get_json

DEMO_COURSES = 93  # the demo alliance's catalog, for the scale note


@dataclass
class Targets:
    """Ids and words to rotate through, and the catalog's size."""

    total_courses: int
    courses: list[str]
    offerings: list[str]
    students: list[str]
    words: list[str]

    def note(self) -> str:
        """One line saying what was found and how it compares with the demo."""
        scale = self.total_courses / DEMO_COURSES
        return (f"catalog: {self.total_courses} published courses (~{scale:.1f}x the demo's "
                f"{DEMO_COURSES}); rotating over {len(self.courses)} courses, "
                f"{len(self.offerings)} offerings, {len(self.words)} search words, "
                f"{len(self.students)} enrolled students")


def search_words(titles: list[str], count: int = 12) -> list[str]:
    """The most common longer words of the course titles: searches that find something."""
    words = Counter(w for t in titles for w in re.findall(r"[a-z]{5,}", t.lower()))
    return [w for w, _ in words.most_common(count)]


def discover(http, urls: dict[str, str], admin: dict, max_courses: int = 100,
             max_students: int = 200) -> Targets:
    """Sample the loaded data; raises SystemExit with advice when there is nothing to read."""
    listing = get_json(http, f"{urls['catalog']}/api/v1/courses?per_page={min(100, max_courses)}")
    if not listing["items"]:
        raise SystemExit("no published courses: load the demo first (`make up` does, or "
                         "`meridian demo seed --gateway $MERIDIAN_GATEWAY_URL`)")
    courses = [c["id"] for c in listing["items"]]
    with ThreadPoolExecutor(6) as pool:
        pages = list(pool.map(lambda c: get_json(http, f"{urls['catalog']}/api/v1/courses/{c}"),
                              courses))
        offerings = [o["id"] for page in pages for o in page.get("offerings", [])]
        sessions = list(pool.map(lambda o: _session_count(http, urls, admin, o), offerings))
        # Offerings with sessions first: their students have something on their timetable.
        ranked = [o for _, o in sorted(zip(sessions, offerings, strict=True), key=lambda p: -p[0])]
        students: list[str] = []
        for roster in pool.map(lambda o: _confirmed(http, urls, admin, o), ranked[:40]):
            students += [s for s in roster if s not in students]
            if len(students) >= max_students:
                break
    if not students:
        raise SystemExit("no confirmed enrollments found: load the demo first")
    return Targets(listing["total"], courses, offerings, students[:max_students],
                   search_words([c["title"] for c in listing["items"]]))


def _session_count(http, urls: dict[str, str], admin: dict, offering_id: str) -> int:
    try:
        answer = http.get(f"{urls['classroom']}/api/v1/offerings/{offering_id}/sessions"
                          "?per_page=1", headers=admin, timeout=60)
    except requests.RequestException:
        return 0  # a busy classroom only changes which students come first
    return answer.json().get("total", 0) if answer.status_code == 200 else 0


def _confirmed(http, urls: dict[str, str], admin: dict, offering_id: str) -> list[str]:
    try:
        answer = http.get(f"{urls['enrollment']}/api/v1/offerings/{offering_id}/roster",
                          headers=admin, timeout=60)
    except requests.RequestException:
        return []  # other offerings' rosters name enough students
    if answer.status_code != 200:
        return []
    return [e["student_id"] for e in answer.json().get("confirmed", [])]
