"""Event lag: from a 201 enrollment until the classroom's roster and the catalog's seat count
reflect it, against a raw kafka-python produce → consume round trip on the same broker.

One fresh offering; N students enroll one after another through the gateway (one user each).
Two observers poll the services directly (no gateway rate limit, one request at a time each):
- classroom roster: the student's `GET /offerings/{id}/sessions` turns from 403 to 200 when the
  classroom's roster read model holds them (the oldest few pending students are checked per sweep);
- catalog seats: `GET /offerings/{id}` → `seats_taken` reaching k means the k-th enrollment
  (in 201 order) is counted.
A raw consumer reads `lms.enrollment` meanwhile, which splits each lag into 201 → relay send
(the Kafka record's producer timestamp; the CloudEvent `time` attribute, the moment the event
was stored, is printed too) and send → read model.
The floor: messages of the same size and headers, produced with the relay's delivery settings
and consumed by a raw consumer, one at a time, on a scratch topic of the same broker.

Usage (against a running stack, e.g. `make up`):
    .venv/bin/python -m bench.event_lag [--enrollments 120] [--interval 0.5] [--json out.json]
The default pace (120 enrollments, one every 0.5 s) spans a minute, so periodic work in the
path (a relay's fallback scan, say) shows in the p99.
Aim: p99 of each lag at most 10x the raw round trip's p99.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import uuid

import requests

from bench._kafka_probe import TopicWatcher, round_trips
from bench._lag_observers import Observers, event_times, setup_offering
from bench._load import percentile_ms, session
from bench._stack_client import tokens
from bench.reads import urls_from_env

AIM = 10.0


def enroll_all(http, gateway: str, offering_id: str, students: list[dict], interval: float,
               observers: Observers) -> dict[int, int]:
    """Enroll each student in turn, at most one every `interval` s; returns answers by status."""
    statuses: dict[int, int] = {}
    url = f"{gateway}/api/v1/offerings/{offering_id}/enrollments"
    for n, header in enumerate(students):
        began = time.monotonic()
        try:
            status = http.post(url, headers=header, json={}, timeout=60).status_code
        except requests.RequestException:
            status = 599  # no answer: counted, and this student is not waited for
        statuses[status] = statuses.get(status, 0) + 1
        if status == 201:
            observers.answered(n, time.time())
        time.sleep(max(0.0, interval - (time.monotonic() - began)))
    return statuses


def _line(label: str, seconds: list[float]) -> str:
    return (f"  {label:<34} p50 {percentile_ms(seconds, 0.5):8.1f} ms  "
            f"p99 {percentile_ms(seconds, 0.99):8.1f} ms  n {len(seconds)}")


def main() -> None:
    """Set up, enroll while observing, measure the raw round trip, print lags and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enrollments", type=int, default=120)
    parser.add_argument("--interval", type=float, default=0.5,
                        help="seconds between the starts of two enrollments")
    parser.add_argument("--patience", type=float, default=120.0,
                        help="seconds to wait after the last 201 for the read models")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    urls = urls_from_env()
    bootstrap = os.environ.get("MERIDIAN_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    topic = os.environ.get("MERIDIAN_TOPIC_PREFIX", "") + "lms.enrollment"
    with session() as http:
        offering_id = setup_offering(http, urls, args.enrollments)
        subs = [f"lag-{uuid.uuid4().hex[:10]}" for _ in range(args.enrollments)]
        students = tokens(http, urls["gateway"], subs, ["student"])
        watcher = TopicWatcher(bootstrap, topic, offering_id)
        observers = Observers(urls, offering_id, students)
        statuses = enroll_all(http, urls["gateway"], offering_id, students, args.interval,
                              observers)
        observers.wait(args.patience)
        watcher.close()
    lags = observers.lags()
    sent, stored = event_times(watcher.records, subs)
    answered = observers.answered_at
    # The floor sends the enrollment events' own bytes; a stand-in of their usual size if
    # none reached the topic in time (reported below).
    first = watcher.records[0] if watcher.records else None
    floor = round_trips(bootstrap, first.value if first else b"x" * 700,
                        first.headers if first else [], args.enrollments)
    print(f"{args.enrollments} enrollments through the gateway, one every >= {args.interval} s "
          f"(offering {offering_id}); answers {statuses}; observer answers other than "
          f"200/403: {observers.odd}")
    if first is None:
        print(f"  no event of the offering reached {topic} within {args.patience:.0f} s")
    print(_line("raw kafka round trip (floor)", floor))
    rows = {"floor": floor}
    for name in ("classroom roster", "catalog seats_taken"):
        rows[name] = lags[name]
        missing = args.enrollments - len(lags[name])
        print(_line(f"201 -> {name}", lags[name]) + (f"  never seen {missing}" if missing else ""))
    rows["201 -> relay send"] = [sent[n] - answered[n] for n in sorted(sent) if n in answered]
    rows["201 -> CloudEvent time (stored)"] = [stored[n] - answered[n] for n in sorted(stored)
                                      if n in answered]
    for name in ("201 -> relay send", "201 -> CloudEvent time (stored)"):
        print(_line(name, rows[name]))
    for name in ("classroom roster", "catalog seats_taken"):
        after = observers.after_send(name, sent)
        rows[f"send -> {name}"] = after
        print(_line(f"relay send -> {name}", after))
    base = percentile_ms(floor, 0.99)
    for name in ("classroom roster", "catalog seats_taken"):
        # A read model that never caught up has no lag to compare: that is not a met aim.
        seen = len(lags[name]) == len(answered) > 0
        ratio = percentile_ms(lags[name], 0.99) / base if base and seen else float("inf")
        print(f"  ratio at p99, {name} / raw round trip: {ratio:.0f}x (aim <= {AIM:.0f}x: "
              f"{'met' if ratio <= AIM else 'not met'})")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"enrollments": args.enrollments, "statuses": statuses,
                       "p50_p99_ms": {k: [percentile_ms(v, 0.5), percentile_ms(v, 0.99)]
                                      for k, v in rows.items()}}, out, indent=2)


if __name__ == "__main__":
    main()
