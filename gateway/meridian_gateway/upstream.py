"""HTTP client for the upstream services: one pooled session per worker, a bulkhead each."""

from __future__ import annotations

import os
import threading
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from .breaker import CircuitBreaker
from .upstream_http import UpstreamResponse, open_pools, urlopen


class UpstreamSaturated(Exception):
    """Too many requests to one service stayed in flight in this worker for too long."""


def _new_session(pool_size: int) -> requests.Session:
    session = requests.Session()
    # Proxy variables and .netrc are not how services are reached, and looking them up is slow.
    session.trust_env = False
    # The session is shared by every client of the worker: a cookie set for one must not
    # be replayed for another.
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    session.headers.clear()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class _WorkerState:
    def __init__(self, urls: dict[str, str], max_inflight: int, breaker: dict):
        self.pid = os.getpid()
        self.session = _new_session(pool_size=max(10, max_inflight))
        self.pools = open_pools(urls, pool_size=max(10, max_inflight))
        self.slots = {name: threading.BoundedSemaphore(max_inflight) for name in urls}
        self.breakers = {name: CircuitBreaker(name, **breaker) for name in urls}


class Upstreams:
    """Sends requests to the named services; state is created lazily in each worker process."""

    def __init__(self, urls: dict[str, str], *, connect_timeout: float, read_timeout: float,
                 max_inflight: int, breaker_failures: int = 5, breaker_open_seconds: float = 10):
        self.urls = {name: url.rstrip("/") for name, url in urls.items()}
        self.timeout = (connect_timeout, read_timeout)
        self._timeout = urllib3.Timeout(connect=connect_timeout, read=read_timeout)
        # A base URL may carry a path (a service mounted under a prefix): targets go under it.
        self._prefixes = {name: urlsplit(url).path for name, url in self.urls.items()}
        self.max_inflight = max_inflight
        self._breaker = {"threshold": breaker_failures, "open_seconds": breaker_open_seconds}
        self._state: _WorkerState | None = None
        self._lock = threading.Lock()

    def _worker_state(self) -> _WorkerState:
        state = self._state
        # A state inherited through fork would share sockets with the parent: rebuild it.
        if state is None or state.pid != os.getpid():
            with self._lock:
                state = self._state
                if state is None or state.pid != os.getpid():
                    state = self._state = _WorkerState(self.urls, self.max_inflight,
                                                       self._breaker)
        return state

    def breaker(self, name: str) -> CircuitBreaker:
        """This worker's circuit breaker for `name`."""
        return self._worker_state().breakers[name]

    def acquire(self, name: str) -> None:
        """Take one in-flight slot for `name`, or raise UpstreamSaturated after a short wait."""
        # Busy but healthy services free slots quickly, so waiting (as long as a connect may
        # take) absorbs bursts; only a stuck service keeps them long enough to be refused.
        if not self._worker_state().slots[name].acquire(timeout=self.timeout[0]):
            raise UpstreamSaturated(name)

    def release(self, name: str) -> None:
        """Give back a slot taken with `acquire`."""
        self._worker_state().slots[name].release()

    def send(self, name: str, method: str, target: str, *, headers: dict[str, str],
             body: bytes | None, timeout: tuple[float, float] | None = None) -> UpstreamResponse:
        """Send one request; the response body is left unread for the relay to stream."""
        limits = urllib3.Timeout(connect=timeout[0], read=timeout[1]) if timeout else self._timeout
        return urlopen(self._worker_state().pools[name], method, self._prefixes[name] + target,
                       headers=headers, body=body, timeout=limits)

    def get(self, name: str, target: str, *, timeout: tuple[float, float]) -> requests.Response:
        """A small GET for the gateway's own use (readiness, OpenAPI), read in full."""
        return self._worker_state().session.get(
            self.urls[name] + target, timeout=timeout, allow_redirects=False,
            headers={"Accept": "application/json"},
        )
