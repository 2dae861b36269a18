"""Closed-loop HTTP load shared by the read benchmarks: N clients, a time cap, status counts."""

from __future__ import annotations

import itertools
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

# What a request is: the n-th call's URL and headers (so callers rotate users and targets).
RequestFor = Callable[[int], tuple[str, dict | None]]


@dataclass
class Figure:
    """One load run (or the median of several): 2xx answers per second, latency in ms over
    every request, and the answers by status."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    statuses: Counter = field(default_factory=Counter)

    def text(self) -> str:
        """One aligned line: req/s, p50, p99 and the non-2xx count (with the statuses seen)."""
        odd = ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()) if not 200 <= s < 300)
        return (f"{self.rps:8.1f} req/s  p50 {self.p50_ms:7.1f} ms  p99 {self.p99_ms:7.1f} ms  "
                f"n {self.requests:5d}  non-2xx {self.non_2xx}" + (f" ({odd})" if odd else ""))


def percentile_ms(seconds: list[float], share: float) -> float:
    """The nearest-rank percentile of durations in seconds, in ms (0 for no data)."""
    if not seconds:
        return 0.0
    ordered = sorted(seconds)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index] * 1000


def session(headers: dict | None = None) -> requests.Session:
    """A session that ignores proxy variables (the stack is on 127.0.0.1)."""
    http = requests.Session()
    http.trust_env = False
    if headers:
        http.headers.update(headers)
    return http


def run_load(request_for: RequestFor, clients: int, seconds: float,
             max_requests: int | None = None, timeout: float = 30.0) -> Figure:
    """GETs from `clients` threads (one keep-alive session each) for `seconds` at most."""
    tickets = itertools.count()
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        mine, seen = [], Counter()
        with session() as http:
            while time.monotonic() < deadline:
                n = next(tickets)
                if max_requests is not None and n >= max_requests:
                    break
                url, headers = request_for(n)
                started = time.perf_counter()
                try:
                    status = http.get(url, headers=headers, timeout=timeout).status_code
                except requests.RequestException:
                    status = 599  # no answer at all: counted as a failure, like a 5xx
                mine.append(time.perf_counter() - started)
                seen[status] += 1
        with lock:
            latencies.extend(mine)
            statuses.update(seen)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    non_2xx = sum(n for s, n in statuses.items() if not 200 <= s < 300)
    # Throughput counts answers that served the read: quick 503s must not look like speed.
    return Figure((len(latencies) - non_2xx) / elapsed, percentile_ms(latencies, 0.50),
                  percentile_ms(latencies, 0.99), len(latencies), non_2xx, statuses)


def median_of(figures: list[Figure]) -> Figure:
    """Median throughput and latencies over rounds; requests and statuses summed."""
    statuses = sum((f.statuses for f in figures), Counter())
    return Figure(statistics.median(f.rps for f in figures),
                  statistics.median(f.p50_ms for f in figures),
                  statistics.median(f.p99_ms for f in figures),
                  sum(f.requests for f in figures), sum(f.non_2xx for f in figures), statuses)
