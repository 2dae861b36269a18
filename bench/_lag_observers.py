"""The event-lag benchmark's setup and its two read-model observers (classroom, catalog)."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import requests

from bench._kafka_probe import Seen
from bench._load import session
from bench._stack_client import post_json, publish, token

LEAD = "lag-lead"


def _until(check, what: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.5)


def setup_offering(http, urls: dict[str, str], students: int) -> str:
    """A fresh published course (faculty: one lead) and an open offering with room for all,
    once every service knows it; returns the offering id."""
    gateway = urls["gateway"] + "/api/v1"
    admin = token(http, urls["gateway"], "bench-admin", ["admin"])
    tag = uuid.uuid4().hex[:8]
    institution = post_json(http, f"{gateway}/institutions", admin, {
        "name": f"Lag University {tag}", "country": "GB", "timezone": "Europe/London"})
    course = post_json(http, f"{gateway}/courses", admin, {
        "code": f"LAG{tag}", "title": "Event lag", "languages": ["en"],
        "provider_institution_id": institution["id"],
        "faculty": [{"user_id": LEAD, "role": "lead"}]})
    publish(http, urls["gateway"], admin, course["id"])
    now = datetime.now(UTC)
    offering = post_json(http, f"{gateway}/courses/{course['id']}/offerings", admin, {
        "term": "bench", "starts_on": "2030-01-07", "ends_on": "2030-01-25", "timezone": "UTC",
        "capacity": students + 10,
        "enrollment_opens_at": (now - timedelta(hours=1)).isoformat(),
        "enrollment_closes_at": (now + timedelta(hours=6)).isoformat()})["id"]
    lead = token(http, urls["gateway"], LEAD, ["instructor"])

    def answers(url: str, header: dict) -> bool:
        return http.get(url, headers=header, timeout=30).status_code == 200

    _until(lambda: answers(f"{urls['enrollment']}/api/v1/offerings/{offering}/roster", admin),
           "the enrollment service to know the offering")
    _until(lambda: answers(f"{urls['classroom']}/api/v1/offerings/{offering}/sessions", lead),
           "the classroom to know the offering and its faculty")
    _until(lambda: answers(f"{urls['catalog']}/api/v1/offerings/{offering}", admin),
           "the catalog to show the offering")
    return offering


class Observers:
    """Two polling threads noting when each answered enrollment shows in each read model."""

    def __init__(self, urls: dict[str, str], offering_id: str, headers: list[dict]):
        self.headers = headers
        self.order: list[int] = []  # students in 201 order
        self.answered_at: dict[int, float] = {}
        self.seen: dict[str, dict[int, float]] = {"classroom roster": {},
                                                  "catalog seats_taken": {}}
        self.odd: Counter = Counter()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._classroom, daemon=True, args=(
                f"{urls['classroom']}/api/v1/offerings/{offering_id}/sessions?per_page=1",)),
            threading.Thread(target=self._catalog, daemon=True, args=(
                f"{urls['catalog']}/api/v1/offerings/{offering_id}",))]
        for thread in self._threads:
            thread.start()

    def answered(self, student: int, at: float) -> None:
        """The enroller got its 201 for this student at `at` (epoch seconds)."""
        self.answered_at[student] = at
        self.order.append(student)

    def _pending(self, name: str) -> list[int]:
        seen = self.seen[name]
        return [n for n in list(self.order) if n not in seen]

    def _classroom(self, url: str) -> None:
        seen = self.seen["classroom roster"]
        with session() as http:
            while not self._stop.is_set():
                for n in self._pending("classroom roster")[:4]:
                    try:
                        status = http.get(url, headers=self.headers[n], timeout=30).status_code
                    except requests.RequestException:
                        status = 599
                    if status == 200:
                        seen[n] = time.time()
                    elif status != 403:
                        self.odd[f"classroom {status}"] += 1
                time.sleep(0.01)

    def _catalog(self, url: str) -> None:
        seen = self.seen["catalog seats_taken"]
        with session() as http:
            while not self._stop.is_set():
                try:
                    answer = http.get(url, timeout=30)
                except requests.RequestException:
                    self.odd["catalog 599"] += 1
                    continue
                now = time.time()
                if answer.status_code != 200:
                    self.odd[f"catalog {answer.status_code}"] += 1
                else:
                    counted = answer.json().get("seats_taken", 0)
                    for n in list(self.order)[:counted]:
                        seen.setdefault(n, now)
                time.sleep(0.01)

    def wait(self, patience: float) -> None:
        """Until both read models show every answered enrollment (or `patience` s passed)."""
        deadline = time.monotonic() + patience
        while any(self._pending(name) for name in self.seen) and time.monotonic() < deadline:
            time.sleep(0.05)
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def lags(self) -> dict[str, list[float]]:
        """Seconds from each 201 until each read model showed it."""
        return {name: [at - self.answered_at[n] for n, at in sorted(seen.items())]
                for name, seen in self.seen.items()}

    def after_send(self, name: str, sent: dict[int, float]) -> list[float]:
        """Seconds from the relay's send until the read model showed it."""
        return [at - sent[n] for n, at in sorted(self.seen[name].items()) if n in sent]


def event_times(records: list[Seen], subs: list[str]) -> tuple[dict, dict]:
    """Per student (index in `subs`): the relay's send and the CloudEvent `time`, epoch s,
    from the first event of that student on the topic."""
    index = {sub: n for n, sub in enumerate(subs)}
    sent, stored = {}, {}
    for record in records:
        n = index.get(json.loads(record.value).get("student_id"))
        if n is None or n in sent:
            continue
        sent[n] = record.sent
        ce_time = dict(record.headers).get("ce_time", b"").decode()
        if ce_time:
            stored[n] = datetime.fromisoformat(ce_time.replace("Z", "+00:00")).timestamp()
    return sent, stored
