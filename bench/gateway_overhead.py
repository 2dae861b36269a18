"""What the gateway costs: the same catalog reads through the gateway and directly, in one run.

Usage (against a running stack, e.g. `make up`):
    .venv/bin/python -m bench.gateway_overhead [--rounds 3] [--clients 1,20] [--requests 600]
        [--auth]
URLs come from MERIDIAN_GATEWAY_URL and MERIDIAN_CATALOG_URL (defaults: the local stack).
With --auth every request (direct and through the gateway) carries a dev token, so both
sides verify it and the gateway counts it against the caller's rate limit.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import threading
import time
from dataclasses import asdict, dataclass

import requests

PATHS = ("/api/v1/courses?per_page=20", "/api/v1/institutions")


@dataclass
class Result:
    """One load run: throughput, latency percentiles in ms, and failures."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def _session(token: str | None = None) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    if token:
        session.headers["Authorization"] = f"Bearer {token}"
    return session


def dev_token(gateway: str, sub: str = "bench-reader") -> str:
    """A token from the gateway's dev-token endpoint (dev auth must be on)."""
    with _session() as http:
        response = http.post(f"{gateway}/api/v1/auth/dev-token", timeout=10, json={
            "sub": sub, "roles": ["student"], "timezone": "UTC"})
        response.raise_for_status()
        return response.json()["access_token"]


def seed_if_empty(gateway: str) -> None:
    """Create a few published courses through the gateway when the catalog has none."""
    with _session() as http:
        if http.get(f"{gateway}/api/v1/courses?per_page=1", timeout=10).json()["total"] >= 20:
            return
        token = http.post(f"{gateway}/api/v1/auth/dev-token", timeout=10, json={
            "sub": "bench-admin", "roles": ["admin"], "timezone": "UTC"}).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        for i in range(3):
            institution = http.post(f"{gateway}/api/v1/institutions", headers=auth, timeout=10,
                                    json={"name": f"Bench University {i}", "country": "GB",
                                          "timezone": "Europe/London",
                                          "alliances": ["bench"]}).json()
            for j in range(8):
                course = http.post(f"{gateway}/api/v1/courses", headers=auth, timeout=10, json={
                    "code": f"BEN{i}{j:02d}", "title": f"Benchmark course {i}-{j}",
                    "summary": "Seeded by bench/gateway_overhead.py", "languages": ["en"],
                    "provider_institution_id": institution["id"], "tags": ["bench"]})
                course.raise_for_status()
                http.post(f"{gateway}/api/v1/courses/{course.json()['id']}/publish",
                          headers=auth, timeout=10).raise_for_status()


def run_load(url: str, clients: int, total: int, max_seconds: float,
             token: str | None = None) -> Result:
    """`total` GETs of `url` from `clients` threads (one session each), capped in time."""
    tickets = itertools.count()
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        mine, failed = [], 0
        with _session(token) as http:
            while next(tickets) < total and time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    ok = http.get(url, timeout=10).status_code == 200
                except requests.RequestException:
                    ok = False
                mine.append(time.perf_counter() - started)
                failed += not ok
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
    cuts = statistics.quantiles(latencies, n=100)
    return Result(rps=len(latencies) / elapsed, p50_ms=cuts[49] * 1000, p99_ms=cuts[98] * 1000,
                  requests=len(latencies), errors=errors[0])


def compare(gateway: str, catalog: str, path: str, clients: int, args) -> dict:
    """Interleaved rounds through the gateway and direct; medians of each measure."""
    rounds: dict[str, list[Result]] = {"gateway": [], "direct": []}
    total = args.requests * (1 if clients == 1 else 4)
    for _ in range(args.rounds):
        for name, base in (("direct", catalog), ("gateway", gateway)):
            rounds[name].append(run_load(base + path, clients, total, args.max_seconds,
                                         args.token))
    summary = {name: Result(*(statistics.median(getattr(r, f) for r in results)
                              for f in ("rps", "p50_ms", "p99_ms", "requests", "errors")))
               for name, results in rounds.items()}
    return {
        "path": path, "clients": clients,
        "gateway": asdict(summary["gateway"]), "direct": asdict(summary["direct"]),
        "throughput_ratio": summary["gateway"].rps / summary["direct"].rps,
        "added_p50_ms": summary["gateway"].p50_ms - summary["direct"].p50_ms,
    }


def _print(row: dict) -> None:
    for name in ("direct", "gateway"):
        r = row[name]
        print(f"{row['path']:<32} c={row['clients']:<3} {name:<8} {r['rps']:8.0f} req/s  "
              f"p50 {r['p50_ms']:6.2f} ms  p99 {r['p99_ms']:7.2f} ms  errors {r['errors']:.0f}")
    print(f"{'':<32} c={row['clients']:<3} ratio gateway/direct {row['throughput_ratio']:.2f}, "
          f"added p50 {row['added_p50_ms']:+.2f} ms")


def main() -> None:
    """Seed if needed, warm up, measure, print (and optionally write JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", default="1,20")
    parser.add_argument("--requests", type=int, default=600,
                        help="requests per run with 1 client (x4 with more clients)")
    parser.add_argument("--max-seconds", type=float, default=20.0)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--no-seed", action="store_true",
                        help="skip seeding (e.g. when the catalog URL is a stand-in)")
    parser.add_argument("--auth", action="store_true",
                        help="send a bearer token with every request (both sides verify it)")
    args = parser.parse_args()
    gateway = os.environ.get("MERIDIAN_GATEWAY_URL", "http://127.0.0.1:8080").rstrip("/")
    catalog = os.environ.get("MERIDIAN_CATALOG_URL", "http://127.0.0.1:8101").rstrip("/")
    if not args.no_seed:
        seed_if_empty(gateway)
    args.token = dev_token(gateway) if args.auth else None
    for base in (catalog, gateway):
        run_load(base + PATHS[0], 4, 200, 10, args.token)
    rows = []
    for path in PATHS:
        for clients in (int(c) for c in args.clients.split(",")):
            rows.append(compare(gateway, catalog, path, clients, args))
            _print(rows[-1])
    if args.json:
        with open(args.json, "w") as out:
            json.dump(rows, out, indent=2)


if __name__ == "__main__":
    main()
