"""`meridian status`: one look at the whole stack — readiness, topics, lag, DLQs, outboxes."""

from __future__ import annotations

import os

from meridian_common.config import load_settings
from meridian_common.events.topics import DLQ_SUFFIX

from . import outbox, services, topics
from .output import emit_json, table


def _readiness(name: str, base: str) -> dict:
    import requests

    url = f"{base.rstrip('/')}/readyz"
    try:
        response = requests.get(url, timeout=3)
        body = response.json() if response.headers.get("Content-Type", "").startswith(
            "application/json") else {}
        failing = sorted(k for k, v in (body.get("checks") or {}).items() if v != "ok")
        ok = response.status_code == 200
        return {"url": url, "ok": ok, "detail": "ready" if ok else
                f"{response.status_code} {', '.join(failing) or 'not ready'}"}
    except requests.RequestException as exc:
        return {"url": url, "ok": False, "detail": f"unreachable ({type(exc).__name__})"}


def kafka_ok(snapshot: dict) -> bool:
    """Every topic exists, and each of its partitions is held by a member of every group that
    reads it (a partition nobody holds is consumed by nobody)."""
    return not snapshot["missing"] and not any(
        info.get("unassigned") for info in snapshot["topics"].values())


def collect() -> dict:
    """Everything `meridian status` shows, as data."""
    settings = load_settings("ops")
    endpoints = {"gateway": os.environ.get("MERIDIAN_GATEWAY_URL", "http://127.0.0.1:8080"),
                 **settings.upstreams}
    report: dict = {"processes": {n: _readiness(n, url) for n, url in endpoints.items()}}
    try:
        report["kafka"] = topics.snapshot(settings)
        report["kafka"]["ok"] = kafka_ok(report["kafka"])
    except Exception as exc:  # a down broker is a finding, not a crash
        report["kafka"] = {"ok": False, "error": str(exc)}
    report["outbox"] = {}
    for name in services.SERVICES:
        try:
            report["outbox"][name] = outbox.backlog(name)
        except services.ServiceMissing:
            continue
        except Exception as exc:  # database down or unreachable
            report["outbox"][name] = {"error": str(exc)}
    return report


def healthy(report: dict) -> bool:
    """True when every process is ready, Kafka answers with all topics (each partition held by
    a member of every group that reads it), and outboxes read."""
    return (all(p["ok"] for p in report["processes"].values()) and report["kafka"]["ok"]
            and not any("error" in o for o in report["outbox"].values()))


def _print(report: dict) -> None:
    table(["process", "status", "url"],
          [(n, p["detail"], p["url"]) for n, p in report["processes"].items()])
    kafka = report["kafka"]
    print()
    if "error" in kafka:
        print(f"kafka: unreachable ({kafka['error']})")
    else:
        rows = []
        for topic, info in sorted(kafka["topics"].items()):
            kind = "dlq" if topic.endswith(DLQ_SUFFIX) else "events"
            rows.append((topic, kind, info["messages"], topics.lag_text(info)))
        table(["topic", "kind", "messages", "consumer lag"], rows)
        for topic in kafka["missing"]:
            print(f"missing topic: {topic}")
    print()
    table(["service", "outbox pending", "oldest (s)"],
          [(n, o.get("pending", "error"), o.get("oldest_age_seconds") or "")
           for n, o in report["outbox"].items()])


def _status(args) -> int:
    report = collect()
    if args.json:
        emit_json(report)
    else:
        _print(report)
    return 0 if healthy(report) else 1


def register(sub) -> None:
    """Add `status`."""
    status = sub.add_parser("status", help="readiness, topics, consumer lag, DLQs and outboxes")
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=_status)
