"""A circuit breaker per upstream service (per worker process): closed, open, half-open."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable

from prometheus_client import Counter

log = logging.getLogger(__name__)

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"
TRANSITIONS = Counter(
    "meridian_gateway_circuit_transitions_total",
    "Circuit breaker state changes, by upstream and the state entered",
    ["upstream", "state"],
)


class CircuitOpen(Exception):
    """The upstream failed repeatedly; calls are refused until `retry_after` seconds pass."""

    def __init__(self, service: str, retry_after: int):
        super().__init__(service)
        self.service = service
        self.retry_after = retry_after


class CircuitBreaker:
    """Opens after `threshold` failed calls in a row, refuses calls while open, then lets one
    trial call through (half-open): its success closes the circuit, its failure re-opens it."""

    def __init__(self, service: str, *, threshold: int, open_seconds: float,
                 clock: Callable[[], float] = time.monotonic):
        self.service = service
        self.threshold = threshold
        self.open_seconds = open_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._state = CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._trial_running = False

    @property
    def state(self) -> str:
        """The current state (an open circuit whose time is up reads as half-open)."""
        with self._lock:
            if self._state == OPEN and self._clock() - self._opened_at >= self.open_seconds:
                return HALF_OPEN
            return self._state

    def before_call(self) -> None:
        """Admit a call, or raise CircuitOpen when the upstream is being given a rest."""
        with self._lock:
            if self._state == CLOSED:
                return
            waited = self._clock() - self._opened_at
            if self._state == OPEN and waited < self.open_seconds:
                raise CircuitOpen(self.service, max(1, math.ceil(self.open_seconds - waited)))
            if self._trial_running:
                # One trial at a time: a service that is still down costs one request, not all.
                raise CircuitOpen(self.service, 1)
            self._move(HALF_OPEN)
            self._trial_running = True

    def record_success(self) -> None:
        """The call got an answer: the upstream is reachable."""
        with self._lock:
            self._failures = 0
            self._trial_running = False
            if self._state != CLOSED:
                self._move(CLOSED)

    def record_failure(self) -> None:
        """The call could not reach the upstream, or timed out."""
        with self._lock:
            self._failures += 1
            trial_failed = self._state == HALF_OPEN
            self._trial_running = False
            if trial_failed or (self._state == CLOSED and self._failures >= self.threshold):
                self._opened_at = self._clock()
                self._move(OPEN)

    def abandon(self) -> None:
        """The call ended for reasons that say nothing about the upstream (not counted)."""
        with self._lock:
            self._trial_running = False

    def _move(self, state: str) -> None:
        if state != self._state:
            self._state = state
            TRANSITIONS.labels(self.service, state).inc()
            log.warning("circuit for upstream %s is now %s", self.service, state)
