"""Notification fan-out: cancel a session of an offering with 2,000 students and time until all
2,000 mails are in Mailpit, against raw smtplib sending 2,000 messages of the same size to the
same Mailpit (one connection), in the same run.

Setup (not timed): one offering and `--rounds` sessions through the gateway, and
`--students` confirmed students on the notifications service's own roster, each known to it
with an address (their token's `email` claim, recorded by its API). The roster rows are the
read model the consumer builds from enrollment events; the bench writes them directly,
because enrolling 2,000 students through the enrollment service and its events takes some
twenty minutes on a busy shared machine and is measured elsewhere (bench.enrollment_rush,
bench.event_lag). Timed: each round cancels one session through the gateway (classroom →
outbox relay → Kafka → notifications consumer → planning and rendering → sender → SMTP) and
polls Mailpit's search API until every student's cancellation mail is there; the raw round
sends copies of one such mail (same bytes, other recipients) over one smtplib connection and
polls the same way.

Usage (against a running stack, e.g. `make up`; `make bench` runs it on a private stack):
    .venv/bin/python -m bench.notifications_fanout [--students 2000] [--rounds 3]
Aim: raw time / pipeline time >= 0.5 (median of the rounds).
"""

from __future__ import annotations

import argparse
import os
import smtplib
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import jwt
import pymongo
import requests

from bench._stack_client import post_json

AIM = 0.5


def _env(name: str, default: str) -> str:
    return os.environ.get(f"MERIDIAN_{name}", default).rstrip("/")


def bearer(sub: str, roles: list[str], **claims) -> dict:
    """A token signed with the local stack's dev key (as the gateway's dev-token endpoint)."""
    key = Path(os.environ["MERIDIAN_DEV_AUTH_PRIVATE_KEY_FILE"]).read_text()
    now = int(time.time())
    body = {"sub": sub, "roles": roles, "iss": "meridian-dev", "aud": "meridian", "iat": now,
            "exp": now + 7200, **claims}
    return {"Authorization": f"Bearer {jwt.encode(body, key, algorithm='RS256')}"}


def mail_count(http, mail_url: str, query: str) -> int:
    """How many messages Mailpit's search finds."""
    answer = http.get(f"{mail_url}/api/v1/search", params={"query": query, "limit": 1},
                      timeout=30)
    answer.raise_for_status()
    return int(answer.json()["messages_count"])


def wait_count(http, mail_url: str, query: str, count: int, patience: float) -> float:
    """Poll until `count` messages match; returns the monotonic time it was first seen."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        if mail_count(http, mail_url, query) >= count:
            return time.monotonic()
        time.sleep(0.1)
    raise SystemExit(f"only {mail_count(http, mail_url, query)} of {count} mails for {query!r} "
                     f"after {patience:.0f} s")


def wait_for(check, patience: float, what: str) -> None:
    """Poll `check()` until true."""
    deadline = time.monotonic() + patience
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.5)


def setup(http, urls: dict, tag: str, students: int,
          rounds: int) -> tuple[dict, list[str], list[str]]:
    """An offering with `students` confirmed students and `rounds` sessions."""
    gateway, admin = urls["gateway"], bearer("platform-admin", ["admin"])
    lead = f"fanout-lead-{tag}"
    institution = post_json(http, f"{gateway}/api/v1/institutions", admin, {
        "name": f"Fan-out {tag}", "country": "GB", "timezone": "Europe/London",
        "alliances": []})
    course = post_json(http, f"{gateway}/api/v1/courses", admin, {
        "code": f"FAN-{tag}", "title": "Fan-out", "summary": "Benchmark",
        "provider_institution_id": institution["id"], "languages": ["en"],
        "discipline": "medicine", "level": "postgraduate", "credits": 1, "tags": [],
        "faculty": [{"user_id": lead, "role": "lead"}]})
    post_json(http, f"{gateway}/api/v1/courses/{course['id']}/publish", admin)
    now = datetime.now(UTC)
    offering = post_json(http, f"{gateway}/api/v1/courses/{course['id']}/offerings", admin, {
        "term": "bench", "starts_on": (now + timedelta(days=30)).date().isoformat(),
        "ends_on": (now + timedelta(days=90)).date().isoformat(), "timezone": "Europe/London",
        "capacity": students, "enrollment_opens_at": (now - timedelta(days=1)).isoformat(),
        "enrollment_closes_at": (now + timedelta(days=20)).isoformat(), "eligibility": None,
        "selection": "first_come", "waitlist": False})
    lead_header = bearer(lead, ["instructor"], timezone="Europe/London")
    sessions = []
    for n in range(rounds):
        body = {"kind": "lecture", "title": f"Fanout {n} {tag}",
                "start": f"2027-0{4 + n}-12T10:00", "timezone": "Europe/London",
                "duration_minutes": 60, "instructors": [lead], "repeat": None}
        created = _retry_until_known(
            http, f"{gateway}/api/v1/offerings/{offering['id']}/sessions", lead_header, body)
        sessions.append(created["sessions"][0]["id"])
    ids = [f"fan-{tag}-{n:05d}" for n in range(students)]
    seed_roster(offering["id"], ids)
    return {"offering": offering, "lead": lead_header, "tag": tag}, ids, sessions


def _retry_until_known(http, url: str, headers: dict, body: dict, ok: int = 201) -> dict:
    """POST until the service has the read model it needs (events are eventual)."""
    deadline, key = time.monotonic() + 300, uuid.uuid4().hex
    while True:
        answer = http.post(url, headers={**headers, "Idempotency-Key": key}, json=body,
                           timeout=300)
        if answer.status_code == ok or time.monotonic() > deadline:
            answer.raise_for_status()
            return answer.json()
        time.sleep(1)


def register(http, notifications_url: str, ids: list[str], domain: str) -> None:
    """Let the notifications service see each student's token (address, name, locale)."""
    def one(sub: str) -> None:
        header = bearer(sub, ["student"], email=f"{sub}@{domain}", name=sub, locale="en",
                        timezone="Europe/London")
        for _attempt in range(20):
            answer = http.get(f"{notifications_url}/api/v1/me/notification-preferences",
                              headers=header, timeout=60)
            if answer.status_code == 200:
                return
            time.sleep(1)
        answer.raise_for_status()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, ids))


def _notifications_db(client):
    return client[os.environ.get("MERIDIAN_NOTIFICATIONS_DB", "meridian_notifications")]


def seed_roster(offering_id: str, ids: list[str]) -> None:
    """Confirmed roster rows as the consumer stores them from enrollment events."""
    client = pymongo.MongoClient(_env("MONGO_URI", "mongodb://127.0.0.1:27017/"))
    try:
        _notifications_db(client).roster_entries.insert_many([
            {"_id": f"{offering_id}:{sub}", "offering_id": offering_id, "student_id": sub,
             "status": "confirmed", "version": 1} for sub in ids])
    finally:
        client.close()


def known_sessions(offering_id: str) -> int:
    """Sessions of the offering in the notifications service's read model (its consumer is
    caught up with the setup once they are all there)."""
    client = pymongo.MongoClient(_env("MONGO_URI", "mongodb://127.0.0.1:27017/"))
    try:
        return _notifications_db(client).session_views.count_documents(
            {"offering_id": offering_id})
    finally:
        client.close()


def unsettled(student: str, subject: str) -> int:
    """E-mails of the fan-out that told `student` `subject` not yet recorded as sent (the raw
    round waits for none, so the pipeline's bookkeeping does not run beside it)."""
    client = pymongo.MongoClient(_env("MONGO_URI", "mongodb://127.0.0.1:27017/"))
    try:
        rows = _notifications_db(client).notifications
        event = next(row["event_id"] for row in rows.find(
            {"recipient": student, "kind": "session_cancelled", "channel": "email"},
            {"event_id": 1, "subject": 1}) if row["subject"].startswith(subject))
        return rows.count_documents({"event_id": event, "channel": "email",
                                     "state": {"$in": ["pending", "failed"]}})
    finally:
        client.close()


def raw_round(http, mail_url: str, sample: bytes, addresses: list[str], tag: str) -> float:
    """Send copies of `sample` to `addresses` over one smtplib connection; seconds until all
    are in Mailpit."""
    template = message_from_bytes(sample, policy=policy.default)
    subject = f"raw {tag}"
    messages = []
    for address in addresses:
        copy = message_from_bytes(sample, policy=policy.default)
        del copy["To"], copy["Subject"], copy["Message-ID"]
        copy["To"], copy["Subject"] = address, subject
        messages.append(copy)
    host = os.environ.get("MERIDIAN_SMTP_HOST", "127.0.0.1")
    port = int(os.environ.get("MERIDIAN_SMTP_PORT", "1025"))
    began = time.monotonic()
    with smtplib.SMTP(host, port, timeout=60) as connection:
        for message in messages:
            connection.send_message(message, from_addr=template["From"], to_addrs=[message["To"]])
    return wait_count(http, mail_url, f'subject:"{subject}"', len(addresses), 600) - began


def main() -> None:
    """Set up, then alternate pipeline and raw rounds; print medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    urls = {"gateway": _env("GATEWAY_URL", "http://127.0.0.1:8080"),
            "notifications": _env("NOTIFICATIONS_URL", "http://127.0.0.1:8104")}
    mail_url = _env("MAIL_URL", "http://127.0.0.1:8025")
    tag = uuid.uuid4().hex[:8]
    domain = f"fanout-{tag}.test"
    with requests.Session() as http:
        began = time.monotonic()
        world, ids, sessions = setup(http, urls, tag, args.students, args.rounds)
        offering_id = world["offering"]["id"]
        wait_for(lambda: known_sessions(offering_id) >= args.rounds, 600,
                 "the notifications service to know the sessions")
        register(http, urls["notifications"], ids, domain)
        print(f"setup: {args.students} students, {args.rounds} sessions in "
              f"{time.monotonic() - began:.0f} s (offering {offering_id})")
        pipeline, raw = [], []
        for n, session_id in enumerate(sessions):
            query = f'subject:"Session cancelled: Fanout {n} {tag}"'
            started = time.monotonic()
            answer = http.delete(f"{urls['gateway']}/api/v1/sessions/{session_id}",
                                 headers=world["lead"], timeout=60)
            answer.raise_for_status()
            pipeline.append(wait_count(http, mail_url, query, args.students, 900) - started)
            found = http.get(f"{mail_url}/api/v1/search", params={"query": query, "limit": 1},
                             timeout=30).json()["messages"][0]
            sample = http.get(f"{mail_url}/api/v1/message/{found['ID']}/raw", timeout=30).content
            subject = f"Session cancelled: Fanout {n} {tag} "
            wait_for(lambda s=subject: unsettled(ids[0], s) == 0, 600,
                     "the sender to record the round")
            addresses = [f"raw-{n}-{i:05d}@{domain}" for i in range(args.students)]
            raw.append(raw_round(http, mail_url, sample, addresses, f"{n} {tag}"))
            print(f"  round {n + 1}: pipeline {pipeline[-1]:6.2f} s   raw smtplib {raw[-1]:6.2f} s"
                  f"   ({len(sample)} bytes per mail)")
    p, r = statistics.median(pipeline), statistics.median(raw)
    ratio = r / p if p else float("inf")
    print(f"median: cancel -> {args.students} mails in Mailpit {p:.2f} s "
          f"({args.students / p:.0f} mails/s); raw smtplib {r:.2f} s ({args.students / r:.0f} "
          f"mails/s)")
    verdict = "met" if ratio >= AIM else "not met"
    print(f"ratio raw / pipeline: {ratio:.2f} (aim >= {AIM}: {verdict})")


if __name__ == "__main__":
    main()
