"""A keyed enrollment load of careful clients: each student retries with the same
Idempotency-Key (on 429, any 5xx, a broken connection and `idempotency_in_progress`),
honouring Retry-After, until answered for good or its deadline passes."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import requests

from tests.integration.test_enrollment_support import Student
from tests.support import unique

PAUSE_CAP_SECONDS = 5.0


@dataclass
class Outcome:
    """One client's story: its final answer and how many attempts failed on the way."""

    student: Student
    key: str
    status: int | None = None
    code: str | None = None
    enrollment_id: str | None = None
    interrupted: int = 0
    attempts: int = 0
    finished: bool = False
    last: str = ""


@dataclass
class Load:
    """`size` students enrolling in one offering through `base_url` (the gateway, usually)."""

    base_url: str
    offering_id: str
    size: int
    spacing_seconds: float
    deadline_seconds: float
    outcomes: list[Outcome] = field(default_factory=list)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        """Start the clients, `spacing_seconds` apart, in a background thread."""
        self.outcomes = [Outcome(Student(), unique("chaos-")) for _ in range(self.size)]
        starter = threading.Thread(target=self._start_all, daemon=True)
        starter.start()
        self._threads.append(starter)

    def _start_all(self) -> None:
        for outcome in self.outcomes:
            thread = threading.Thread(target=self._client, args=(outcome,), daemon=True)
            thread.start()
            self._threads.append(thread)
            time.sleep(self.spacing_seconds)

    def acked(self) -> list[Outcome]:
        """Clients answered 201 Created."""
        return [o for o in self.outcomes if o.status == 201]

    def join(self) -> None:
        """Wait for every client to finish or give up."""
        for thread in list(self._threads):
            thread.join(timeout=self.deadline_seconds + 60)

    def _send(self, session: requests.Session, outcome: Outcome) -> requests.Response:
        return session.post(
            f"{self.base_url}/api/v1/offerings/{self.offering_id}/enrollments",
            headers={**outcome.student.headers, "Idempotency-Key": outcome.key},
            json={}, timeout=15)

    def _client(self, outcome: Outcome) -> None:
        deadline = time.monotonic() + self.deadline_seconds
        with requests.Session() as session:
            while time.monotonic() < deadline:
                outcome.attempts += 1
                try:
                    response = self._send(session, outcome)
                except requests.RequestException as exc:
                    outcome.interrupted += 1
                    outcome.last = type(exc).__name__
                    time.sleep(0.5)
                    continue
                if self._settled(outcome, response):
                    return
                time.sleep(min(PAUSE_CAP_SECONDS,
                               float(response.headers.get("Retry-After", "1") or 1)))

    @staticmethod
    def _settled(outcome: Outcome, response: requests.Response) -> bool:
        body = _json(response)
        outcome.last = f"{response.status_code} {body.get('code', '')}"
        if response.status_code == 429 or response.status_code >= 500:
            outcome.interrupted += response.status_code != 429
            return False
        if response.status_code == 409 and body.get("code") == "idempotency_in_progress":
            return False
        outcome.status, outcome.code = response.status_code, body.get("code")
        outcome.enrollment_id = body.get("id") or body.get("enrollment_id")
        outcome.finished = response.status_code == 201 or (
            response.status_code == 409 and body.get("code") == "already_enrolled")
        return True


def _json(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
