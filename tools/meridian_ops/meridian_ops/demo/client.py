"""A small client of the gateway for the demo loader: dev tokens, retries, eventual consistency."""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time

import requests

# Busy or briefly unavailable (the gateway answers 503/429 with Retry-After, 504 on timeouts).
_TRANSIENT = {429, 502, 503, 504}


class ApiError(Exception):
    """A request the gateway refused."""

    def __init__(self, method: str, path: str, status: int, body: dict | str):
        self.status = status
        self.body = body if isinstance(body, dict) else {"detail": body}
        super().__init__(f"{method} {path} -> {status}: {body}")

    @property
    def code(self) -> str | None:
        """The problem's machine-readable code."""
        return self.body.get("code")


class Gateway:
    """Thread-safe: one HTTP session per thread, tokens cached per identity."""

    def __init__(self, base: str, deadline_seconds: float = 180.0):
        self.base = base.rstrip("/")
        self.deadline_seconds = deadline_seconds
        self._local = threading.local()
        self._tokens: dict[tuple, str] = {}
        self._lock = threading.Lock()

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def token(self, sub: str, roles: tuple[str, ...], institution_id: str | None = None,
              timezone: str | None = None) -> str:
        """A dev token for this identity (the gateway signs it)."""
        key = (sub, roles, institution_id, timezone)
        with self._lock:
            cached = self._tokens.get(key)
        if cached:
            return cached
        body = {"sub": sub, "roles": list(roles)}
        body.update({k: v for k, v in (("institution_id", institution_id),
                                       ("timezone", timezone)) if v})
        token = self.call("POST", "/api/v1/auth/dev-token", body)["access_token"]
        with self._lock:
            self._tokens[key] = token
        return token

    def call(self, method: str, path: str, body: dict | None = None, token: str | None = None,
             params: dict | None = None, once: bool = False,
             patience: float | None = None) -> dict:
        """Send one request, retrying transient failures until the deadline; JSON answer.

        With `once`, the request carries an Idempotency-Key derived from path and body, so a
        retry after a timeout returns the first answer instead of creating a second object.
        Only for requests that cannot be refused for a passing reason: a refusal is stored too.
        `patience` overrides how long transient failures are retried.
        """
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if once:
            digest = hashlib.sha256(json.dumps([path, body], sort_keys=True).encode())
            headers["Idempotency-Key"] = f"demo-{digest.hexdigest()[:32]}"
        deadline = time.monotonic() + (self.deadline_seconds if patience is None else patience)
        pause = 0.5
        while True:
            try:
                response = self._session().request(method, self.base + path, json=body,
                                                   params=params, headers=headers, timeout=30)
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                pause = _back_off(pause)
                continue
            in_progress = response.status_code == 409 and "Retry-After" in response.headers
            if (response.status_code in _TRANSIENT or in_progress) and \
                    time.monotonic() < deadline:
                pause = _back_off(max(pause, _seconds(response.headers.get("Retry-After"))))
                continue
            if response.status_code >= 400:
                try:
                    detail = response.json()
                except ValueError:
                    detail = response.text[:500]
                raise ApiError(method, path, response.status_code, detail)
            return response.json() if response.content else {}

    def pages(self, path: str, token: str | None = None, **params) -> list[dict]:
        """Every item of a paginated list."""
        items, page = [], 1
        while True:
            answer = self.call("GET", path, token=token,
                               params={**params, "page": page, "per_page": 100})
            items += answer["items"]
            if len(items) >= answer["total"] or not answer["items"]:
                return items
            page += 1


def _seconds(retry_after: str | None) -> float:
    """Retry-After in seconds (Meridian sends seconds; a date or nothing counts as 1 s)."""
    try:
        return float(retry_after or 1)
    except ValueError:
        return 1.0


def _back_off(pause: float) -> float:
    """Sleep about `pause` seconds; return the next, longer pause (capped at 8 s).

    Retrying a busy service at once only adds to its load; jitter spreads parallel retries.
    """
    time.sleep(pause * random.uniform(0.5, 1.0))
    return min(pause * 2, 8.0)


def eventually(action, retry_if, timeout: float = 60.0, interval: float = 0.3):
    """Run `action` until it stops failing with an error `retry_if` accepts, or time runs out.

    Other services learn about new institutions and offerings from events, a moment later.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            return action()
        except ApiError as exc:
            if not retry_if(exc) or time.monotonic() > deadline:
                raise
        time.sleep(interval)
