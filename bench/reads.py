"""Interactive reads through the gateway against the HTTP floor of the service that answers them.

Five reads, each through the gateway with a bearer token, rotating over many users (so no
per-user rate limit is reached at the default settings) and over the loaded data:
course search (`/courses?q=`), a course page, an offering, a student's timetable and the
student's enrollments. The floor is the same service's `/healthz` answered directly: what one
HTTP round trip to that gunicorn costs on this machine, measured in the same run.

Usage (against a running stack with the demo loaded, e.g. `make up`):
    .venv/bin/python -m bench.reads [--clients 1,20] [--rounds 3] [--seconds 3]
        [--scale LABEL] [--json out.json]
URLs come from MERIDIAN_GATEWAY_URL and MERIDIAN_{CATALOG,ENROLLMENT,CLASSROOM}_URL (defaults:
the local stack). `--scale` only labels the output (e.g. `--scale 10` after
`meridian demo seed --scale 10`); the catalog's size is printed either way.
Aim: every read at 20 clients reaches at least 0.3 of its floor's throughput.

When the stack runs on this machine, each figure also says where the CPU went, per answer:
the gateway, the answering service (all its gunicorn workers), FerretDB and PostgreSQL
(bench/_cpu_split.py; time spent waiting for a core is not counted).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from bench._cpu_split import cpu_per_answer, parts
from bench._load import Figure, median_of, run_load, session
from bench._read_targets import Targets, discover
from bench._stack_client import token, tokens

AIM = 0.3
READERS = 100  # distinct users for the catalog reads: far below 20/s and 600/min each
SERVICES = ("catalog", "enrollment", "classroom")


def urls_from_env() -> dict[str, str]:
    """Gateway and service base URLs (the local stack's ports by default)."""
    ports = {"gateway": 8080, "catalog": 8101, "enrollment": 8102, "classroom": 8103}
    return {name: os.environ.get(f"MERIDIAN_{name.upper()}_URL",
                                 f"http://127.0.0.1:{port}").rstrip("/")
            for name, port in ports.items()}


def part_ports(urls: dict[str, str]) -> dict[str, int]:
    """The ports of the parts a read passes through: gateway, services, FerretDB, PostgreSQL."""
    ports = {name: urlsplit(url).port or 80 for name, url in urls.items()}
    ports["ferretdb"] = urlsplit(os.environ.get("MERIDIAN_MONGO_URI",
                                                "mongodb://127.0.0.1:27017/")).port or 27017
    ports["postgres"] = int(os.environ.get("MERIDIAN_POSTGRES_PORT", "5440"))
    return ports


def reads(urls: dict[str, str], targets: Targets, readers: list[dict],
          students: list[dict]) -> list[tuple[str, str, object]]:
    """(name, floor service, request_for) for each of the five reads."""
    gateway = urls["gateway"] + "/api/v1"
    today = datetime.now(UTC).date()
    window = f"from={today - timedelta(days=7)}&to={today + timedelta(days=120)}"

    def rotate(items, n):
        return items[n % len(items)]

    return [
        ("course search", "catalog", lambda n: (
            f"{gateway}/courses?q={rotate(targets.words, n)}&per_page=20", rotate(readers, n))),
        ("course page", "catalog", lambda n: (
            f"{gateway}/courses/{rotate(targets.courses, n)}", rotate(readers, n))),
        ("offering", "catalog", lambda n: (
            f"{gateway}/offerings/{rotate(targets.offerings, n)}", rotate(readers, n))),
        ("student timetable", "classroom", lambda n: (
            f"{gateway}/me/timetable?tz=Asia/Shanghai&{window}&per_page=100",
            rotate(students, n))),
        ("student enrollments", "enrollment", lambda n: (
            f"{gateway}/me/enrollments", rotate(students, n))),
    ]


def measure(urls: dict[str, str], plan, clients: int, rounds: int, seconds: float,
            roots: dict[str, int]) -> tuple[dict[str, Figure], dict[str, dict[str, float]]]:
    """Interleaved rounds of every floor and every read at one concurrency: median figures,
    and the median CPU ms per answer of each part found on this machine (`roots`)."""
    floors = [(f"floor:{s}", s, lambda n, s=s: (f"{urls[s]}/healthz", None)) for s in SERVICES]
    runs: dict[str, list[Figure]] = {}
    spent: dict[str, list[dict[str, float]]] = {}
    for _ in range(rounds):
        for name, service, request_for in floors + [(n, s, r) for n, s, r in plan]:
            watched = {p: pid for p, pid in roots.items()
                       if p in (service, "ferretdb", "postgres")
                       or (p == "gateway" and not name.startswith("floor:"))}
            figure, cpu = cpu_per_answer(watched, lambda r=request_for: run_load(
                r, clients, seconds), lambda f: f.requests)
            runs.setdefault(name, []).append(figure)
            spent.setdefault(name, []).append(cpu)
    cpu_medians = {name: {p: statistics.median(c[p] for c in cpus) for p in cpus[0]}
                   for name, cpus in spent.items()}
    return {name: median_of(figures) for name, figures in runs.items()}, cpu_medians


def _cpu_text(cpu: dict[str, float]) -> str:
    return ("    cpu ms per answer: " + ", ".join(f"{p} {ms:.1f}" for p, ms in cpu.items())
            if cpu else "")


def report(clients: int, plan, measured) -> list[dict]:
    """Print one concurrency's figures, ratios and CPU split; returns them as rows."""
    medians, cpu = measured
    rows = []
    print(f"clients {clients}")
    for service in SERVICES:
        print(f"  {service + ' /healthz (floor)':<28}{medians[f'floor:{service}'].text()}")
        if cpu[f"floor:{service}"]:
            print(_cpu_text(cpu[f"floor:{service}"]))
    for name, floor, _ in plan:
        figure, base = medians[name], medians[f"floor:{floor}"]
        ratio = figure.rps / base.rps if base.rps else 0.0
        print(f"  {name:<28}{figure.text()}  ratio {ratio:.2f} of {floor} floor")
        if cpu[name]:
            print(_cpu_text(cpu[name]))
        rows.append({"read": name, "clients": clients, "floor": floor, "ratio": ratio,
                     "read_figure": _plain(figure), "floor_figure": _plain(base),
                     "cpu_ms_per_answer": cpu[name]})
    return rows


def _plain(figure: Figure) -> dict:
    return {**asdict(figure), "statuses": {str(k): v for k, v in figure.statuses.items()}}


def main() -> None:
    """Find targets, warm up, measure each concurrency, print figures, ratios and the aim."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1,20")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0, help="per figure and round")
    parser.add_argument("--scale", help="label for the loaded data, e.g. 10 (printed only)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    urls = urls_from_env()
    with session() as http:
        admin = token(http, urls["gateway"], "bench-admin", ["admin"])
        targets = discover(http, urls, admin)
        readers = tokens(http, urls["gateway"], [f"bench-reader-{n}" for n in range(READERS)],
                         ["student"])
        students = tokens(http, urls["gateway"], targets.students, ["student"], "Asia/Shanghai")
    plan = reads(urls, targets, readers, students)
    roots = parts(part_ports(urls))
    print("reads through the gateway vs the answering service's /healthz direct (floor)")
    print(targets.note() + (f"; scale {args.scale}" if args.scale else ""))
    for _name, _floor, request_for in plan:
        run_load(request_for, 4, 1.0)
    rows = []
    for clients in (int(c) for c in args.clients.split(",")):
        rows += report(clients, plan, measure(urls, plan, clients, args.rounds, args.seconds,
                                              roots))
    top = max(r["clients"] for r in rows)
    worst = min((r for r in rows if r["clients"] == top), key=lambda r: r["ratio"])
    print(f"aim: every read >= {AIM} of its floor at {top} clients; lowest: {worst['read']} "
          f"{worst['ratio']:.2f} ({'met' if worst['ratio'] >= AIM else 'not met'})")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"scale": args.scale, "targets": targets.note(), "rows": rows}, out,
                      indent=2)


if __name__ == "__main__":
    main()
