"""What the gateway costs: the same catalog reads through the gateway and directly, in one run.

Usage (against a running stack, e.g. `make up`):
    .venv/bin/python -m bench.gateway_overhead [--rounds 3] [--clients 1,20] [--requests 600]
        [--auth]
URLs come from MERIDIAN_GATEWAY_URL and MERIDIAN_CATALOG_URL (defaults: the local stack).
With --auth every request (direct and through the gateway) carries a dev token, so both
sides verify it and the gateway counts it against the caller's rate limit; requests rotate over
100 users, so none of them reaches the per-user limit. Every figure carries its count of
non-2xx answers (a 429 there means the figure is not valid).
"""

from __future__ import annotations

import argparse
import json
import os

from bench._load import Figure, median_of, run_load, session
from bench._stack_client import get_json, post_json, publish, token, tokens

PATHS = ("/api/v1/courses?per_page=20", "/api/v1/institutions")
READERS = 100


def seed_if_empty(gateway: str) -> None:
    """Create a few published courses through the gateway when the catalog has none."""
    with session() as http:
        if get_json(http, f"{gateway}/api/v1/courses?per_page=1")["total"] >= 20:
            return
        auth = token(http, gateway, "bench-admin", ["admin"])
        for i in range(3):
            institution = post_json(http, f"{gateway}/api/v1/institutions", auth, {
                "name": f"Bench University {i}", "country": "GB", "timezone": "Europe/London",
                "alliances": ["bench"]})
            for j in range(8):
                course = post_json(http, f"{gateway}/api/v1/courses", auth, {
                    "code": f"BEN{i}{j:02d}", "title": f"Benchmark course {i}-{j}",
                    "summary": "Seeded by bench/gateway_overhead.py", "languages": ["en"],
                    "provider_institution_id": institution["id"], "tags": ["bench"]})
                publish(http, gateway, auth, course["id"])


def load(url: str, clients: int, total: int, max_seconds: float,
         headers: list[dict] | None) -> Figure:
    """`total` GETs of `url` from `clients` threads, capped in time, rotating over users."""
    return run_load(lambda n: (url, headers[n % len(headers)] if headers else None),
                    clients, max_seconds, max_requests=total)


def compare(gateway: str, catalog: str, path: str, clients: int, args) -> dict:
    """Interleaved rounds through the gateway and direct; medians of each measure."""
    rounds: dict[str, list[Figure]] = {"gateway": [], "direct": []}
    total = args.requests * (1 if clients == 1 else 4)
    for _ in range(args.rounds):
        for name, base in (("direct", catalog), ("gateway", gateway)):
            rounds[name].append(load(base + path, clients, total, args.max_seconds,
                                     args.headers))
    summary = {name: median_of(results) for name, results in rounds.items()}
    return {
        "path": path, "clients": clients,
        "gateway": summary["gateway"], "direct": summary["direct"],
        "throughput_ratio": summary["gateway"].rps / summary["direct"].rps,
        "added_p50_ms": summary["gateway"].p50_ms - summary["direct"].p50_ms,
    }


def _print(row: dict) -> None:
    for name in ("direct", "gateway"):
        print(f"{row['path']:<32} c={row['clients']:<3} {name:<8} {row[name].text()}")
    print(f"{'':<32} c={row['clients']:<3} ratio gateway/direct {row['throughput_ratio']:.2f}, "
          f"added p50 {row['added_p50_ms']:+.2f} ms")


def _plain(row: dict) -> dict:
    def figure(f: Figure) -> dict:
        return {"rps": f.rps, "p50_ms": f.p50_ms, "p99_ms": f.p99_ms, "requests": f.requests,
                "non_2xx": f.non_2xx}
    return {**row, "gateway": figure(row["gateway"]), "direct": figure(row["direct"])}


def main() -> None:
    """Seed if needed, warm up, measure, print (and optionally write JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", default="1,20")
    parser.add_argument("--requests", type=int, default=600,
                        help="requests per run with 1 client (x4 with more clients)")
    parser.add_argument("--max-seconds", type=float, default=5.0)
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
    args.headers = None
    if args.auth:
        with session() as http:
            args.headers = tokens(http, gateway, [f"bench-reader-{n}" for n in range(READERS)],
                                  ["student"])
    for base in (catalog, gateway):
        load(base + PATHS[0], 4, 200, 10, args.headers)
    rows = []
    for path in PATHS:
        for clients in (int(c) for c in args.clients.split(",")):
            rows.append(compare(gateway, catalog, path, clients, args))
            _print(rows[-1])
    if args.json:
        with open(args.json, "w") as out:
            json.dump([_plain(r) for r in rows], out, indent=2)


if __name__ == "__main__":
    main()
