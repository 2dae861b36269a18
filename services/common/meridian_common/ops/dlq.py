"""`meridian dlq list|replay`: inspect parked messages and send them back to their topic.

A replayed message goes back to the topic it was read from with its original key, value and
CloudEvents headers. Every consumer skips event ids it has already processed, so consumer
groups that handled the message the first time ignore it; the one that parked it tries again.
A replay group remembers what was replayed, so running `replay` twice sends nothing twice.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..config import load_settings
from ..events.topics import ALL, DLQ_SUFFIX, dlq_for
from . import kafka_admin, parked
from .output import emit_json, fail, table


def dlq_topics(settings, name: str | None) -> list[str]:
    """Physical DLQ names: the one asked for (`lms.catalog` or `lms.catalog.dlq`) or all."""
    logical = [name] if name else list(ALL)
    return [settings.topic(n if n.endswith(DLQ_SUFFIX) else dlq_for(n)) for n in logical]


def _row(message: parked.Parked, done: dict[int, int]) -> dict:
    when = datetime.fromtimestamp(message.timestamp_ms / 1000, UTC)
    return {"topic": message.topic, "partition": message.partition, "offset": message.offset,
            "parked_at": when.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "type": message.header("ce_type"), "event_id": message.header("ce_id"),
            "source": message.source_topic, "group": message.header("dlq_consumer_group"),
            "error": message.header("dlq_error"),
            "replayed": message.offset < done.get(message.partition, 0)}


def listing(settings, name: str | None) -> list[dict]:
    """Every parked message of the chosen DLQs, with whether it was replayed."""
    rows = []
    with kafka_admin.admin_client(settings) as admin:
        for topic in dlq_topics(settings, name):
            done = parked.replayed_up_to(admin, settings, topic)
            rows.extend(_row(m, done) for m in parked.read_all(settings, topic))
    return rows


def replay(settings, name: str, offsets: list[str] | None = None,
           dry_run: bool = False) -> list[parked.Parked]:
    """Send parked messages back: those not yet replayed, or exactly `offsets` ("p:o")."""
    from ..messaging.kafka_clients import make_producer

    (topic,) = dlq_topics(settings, name)
    with kafka_admin.admin_client(settings) as admin:
        everything = parked.read_all(settings, topic)
        if offsets:
            wanted = {tuple(int(x) for x in o.split(":")) for o in offsets}
            chosen = [m for m in everything if (m.partition, m.offset) in wanted]
        else:
            done = parked.replayed_up_to(admin, settings, topic)
            chosen = [m for m in everything if m.offset >= done.get(m.partition, 0)]
        if dry_run or not chosen:
            return chosen
        producer = make_producer(settings, "meridian-ops-replay")
        try:
            for message in chosen:
                if not message.source_topic:
                    raise ValueError(f"{topic}/{message.partition}@{message.offset} names no "
                                     "source topic")
                producer.send(message.source_topic, key=message.key, value=message.value,
                              headers=message.replay_headers()).get(timeout=15)
        finally:
            producer.close(timeout=5)
        if not offsets:
            parked.mark_replayed(admin, settings, topic, chosen)
    return chosen


def _list(args) -> int:
    try:
        rows = listing(load_settings("ops"), args.topic)
    except Exception as exc:  # broker down or topic unreadable
        return fail(f"dlq: {exc}")
    if args.json:
        emit_json(rows)
        return 0
    table(["dlq", "p@offset", "parked at", "type", "event id", "replayed", "error"],
          [(r["topic"], f"{r['partition']}@{r['offset']}", r["parked_at"], r["type"],
            r["event_id"], "yes" if r["replayed"] else "no", (r["error"] or "")[:80])
           for r in rows])
    print(f"{len(rows)} parked message(s)")
    return 0


def _replay(args) -> int:
    try:
        sent = replay(load_settings("ops"), args.topic, args.offset, args.dry_run)
    except Exception as exc:  # broker down, bad offset syntax, message without a source
        return fail(f"dlq replay: {exc}")
    verb = "would replay" if args.dry_run else "replayed"
    for message in sent:
        print(f"{verb} {message.topic}/{message.partition}@{message.offset} -> "
              f"{message.source_topic} ({message.header('ce_type')} {message.header('ce_id')})")
    print(f"{len(sent)} message(s) {verb}")
    return 0


def register(sub) -> None:
    """Add `dlq list` and `dlq replay`."""
    dlq = sub.add_parser("dlq", help="parked (dead-lettered) messages")
    actions = dlq.add_subparsers(dest="action", required=True)
    show = actions.add_parser("list", help="parked messages with their error and origin")
    show.add_argument("topic", nargs="?", help="lms.catalog, lms.enrollment or lms.classroom "
                      "(with or without .dlq; default: all)")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=_list)
    again = actions.add_parser("replay", help="send parked messages back to their topic")
    again.add_argument("topic", help="lms.catalog, lms.enrollment or lms.classroom")
    again.add_argument("--offset", action="append", metavar="PARTITION:OFFSET",
                       help="replay exactly these (repeatable); default: all not yet replayed")
    again.add_argument("--dry-run", action="store_true")
    again.set_defaults(func=_replay)
