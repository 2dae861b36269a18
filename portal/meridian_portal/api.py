"""Calls to the public API through the gateway, server side, with the signed-in user's token."""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import requests


class SignInRequired(Exception):
    """The API refused the token (401): the user must sign in again."""


class Unavailable(Exception):
    """The API or a service behind it is down or busy (429/502/503/504, or unreachable)."""

    def __init__(self, retry_after: int = 5):
        super().__init__(retry_after)
        self.retry_after = retry_after


@dataclass
class Answer:
    """One API response: status, decoded JSON body (or {}), headers."""

    status: int
    body: dict | list = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True for 2xx."""
        return 200 <= self.status < 300

    def header(self, name: str) -> str:
        """One response header, whatever its case ("" when absent)."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), "")

    @property
    def errors(self) -> dict[str, list[str]]:
        """The problem's per-field messages (422), flattened to lists of strings."""
        raw = self.body.get("errors") if isinstance(self.body, dict) else None
        return flatten_errors(raw or {})

    @property
    def detail(self) -> str:
        """The problem's human-readable detail, if any."""
        if isinstance(self.body, dict):
            return str(self.body.get("detail") or self.body.get("title") or "")
        return ""

    @property
    def code(self) -> str:
        """The problem's machine-readable code (`too_early`, `already_enrolled`, ...)."""
        if isinstance(self.body, dict):
            return str(self.body.get("code") or self.body.get("reason") or "")
        return ""


def flatten_errors(raw: dict, prefix: str = "") -> dict[str, list[str]]:
    """`{"repeat": {"count": ["..."]}}` → `{"repeat.count": ["..."]}`."""
    flat: dict[str, list[str]] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten_errors(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = [str(v) for v in value if not isinstance(v, dict)] or [str(value)]
        else:
            flat[name] = [str(value)]
    return flat


def _retry_after(response: requests.Response) -> int:
    raw = response.headers.get("Retry-After", "")
    return max(1, min(int(raw), 300)) if raw.isdigit() else 5


class ApiClient:
    """A pooled HTTP client for the gateway; one requests.Session per worker process."""

    def __init__(self, base_url: str, timeout: float, parallel: int = 2, side: int = 4):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.sizes = {"portal-api": parallel, "portal-side": side}
        self._local = threading.local()
        self._pools: dict[str, tuple[int, ThreadPoolExecutor]] = {}
        self._lock = threading.Lock()

    # Two at a time: at 8 clients x 4 parallel calls the gateway's per-service bulkhead
    # (threads - 2 per worker) refused some (bench/portal_pages.py, course page).

    def _executor(self, name: str = "portal-api") -> ThreadPoolExecutor:
        # Long-lived threads keep their pooled connections; a forked worker makes its own.
        with self._lock:
            made = self._pools.get(name)
            if made is None or made[0] != os.getpid():
                made = (os.getpid(), ThreadPoolExecutor(self.sizes[name], name))
                self._pools[name] = made
            return made[1]

    def submit(self, path: str, *, token: str | None) -> Future:
        """Start a GET in the background (its own small pool, so page calls never wait for
        it); the future's result is an Answer or the call's exception."""
        return self._executor("portal-side").submit(self.call, "GET", path, token=token)

    def get_many(self, paths: list[str], *, token: str | None) -> list[Answer]:
        """GET several paths at once (answers in order): a page waits for the slowest call,
        not for their sum."""
        if len(paths) < 2:
            return [self.call("GET", path, token=token) for path in paths]
        # The request's own thread makes the first call instead of waiting idle: one thread
        # hand-off fewer per page (each costs a scheduling delay on a busy machine).
        rest = [self._executor().submit(self.call, "GET", path, token=token)
                for path in paths[1:]]
        try:
            first = self.call("GET", paths[0], token=token)
        except BaseException:
            for future in rest:
                future.cancel()
            raise
        return [first, *(future.result() for future in rest)]

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None or self._local.pid != os.getpid():
            session = requests.Session()
            session.trust_env = False
            self._local.session, self._local.pid = session, os.getpid()
        return session

    def call(self, method: str, path: str, *, token: str | None = None, json=None,
             params: dict | None = None, headers: dict | None = None,
             raw: bool = False) -> Answer:
        """Send one request; raise SignInRequired on 401 and Unavailable on outages."""
        sent = {"Accept": "application/json", **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        try:
            response = self._session().request(method, self.base_url + path, json=json,
                                               params=params, headers=sent,
                                               timeout=self.timeout, allow_redirects=False)
        except requests.RequestException as exc:
            raise Unavailable() from exc
        if response.status_code == 401 and token:
            raise SignInRequired()
        if response.status_code in (429, 502, 503, 504):
            raise Unavailable(_retry_after(response))
        body: dict | list = {}
        if raw:
            body = {"text": response.text}
        elif response.content and "json" in response.headers.get("Content-Type", ""):
            body = response.json()
        return Answer(response.status_code, body, dict(response.headers))
