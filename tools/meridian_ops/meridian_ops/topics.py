"""`meridian topics ensure|describe`: the platform's topics, their DLQs and consumer lag."""

from __future__ import annotations

import os
import time

from meridian_common.config import load_settings
from meridian_common.events.topics import all_physical_topics

from . import kafka_admin, services
from .output import emit_json, fail, table


def consumer_groups(prefix: str) -> dict[str, list[str]]:
    """Physical consumer group → the physical topics it reads, from each worker's definition."""
    groups = {}
    for name in services.SERVICES:
        try:
            spec = services.worker_spec(name)
        except services.ServiceMissing:
            continue
        if spec.topics:
            groups[f"{prefix}{spec.consumer_group}"] = [f"{prefix}{t}" for t in spec.topics]
    return groups


def snapshot(settings) -> dict:
    """Every platform topic with partitions, replication, messages, each group's lag and the
    partitions a settled group holds none of."""
    topics = all_physical_topics(settings.topic_prefix)
    groups = consumer_groups(settings.topic_prefix)
    with kafka_admin.admin_client(settings) as admin:
        found = kafka_admin.describe(admin, topics)
        for topic, info in found.items():
            info["messages"] = sum(kafka_admin.end_offsets(admin, topic,
                                                           info["partitions"]).values())
            readers = [group for group, read in groups.items() if topic in read]
            info["lag"] = {group: sum(p.lag for p in kafka_admin.group_lag(
                admin, group, topic, info["partitions"])) for group in readers}
            unassigned = {group: kafka_admin.unassigned_partitions(
                admin, group, topic, info["partitions"]) for group in readers}
            info["unassigned"] = {group: held for group, held in unassigned.items() if held}
    return {"topics": found, "missing": [t for t in topics if t not in found]}


def lag_text(info: dict) -> str:
    """Each group's lag on a topic, and the partitions it holds none of (consumed by nobody)."""
    unassigned = info.get("unassigned", {})
    return ", ".join(
        f"{g}={n}" + (f" (partitions {unassigned[g]} held by no member)" if g in unassigned else "")
        for g, n in sorted(info["lag"].items())) or "-"


def _ensure(args) -> int:
    from meridian_common.messaging.kafka_clients import ensure_topics

    settings = load_settings("ops")
    deadline = time.monotonic() + args.timeout
    while True:
        try:
            created = ensure_topics(settings, partitions=args.partitions,
                                    replication_factor=args.replication_factor)
            print(f"topics ready ({len(created)} created)")
            return 0
        except Exception as exc:  # the broker may still be starting: keep trying until deadline
            if time.monotonic() > deadline:
                return fail(f"topics: Kafka did not answer: {exc}")
            time.sleep(1)


def _describe(args) -> int:
    try:
        state = snapshot(load_settings("ops"))
    except Exception as exc:  # any broker failure is reported, not raised at the operator
        return fail(f"topics: Kafka did not answer: {exc}")
    if args.json:
        emit_json(state)
    else:
        rows = [(topic, i["partitions"], i["replication_factor"], i["under_replicated"],
                 i["messages"], lag_text(i)) for topic, i in sorted(state["topics"].items())]
        table(["topic", "partitions", "replicas", "under-replicated", "messages",
               "consumer lag"], rows)
        for topic in state["missing"]:
            print(f"missing: {topic} (run `meridian topics ensure`)")
    return 1 if state["missing"] else 0


def register(sub) -> None:
    """Add `topics ensure` and `topics describe`."""
    topics = sub.add_parser("topics", help="create or describe the platform's topics and DLQs")
    actions = topics.add_subparsers(dest="action", required=True)
    ensure = actions.add_parser("ensure", help="create missing topics and DLQs (keeps others)")
    ensure.add_argument("--timeout", type=float, default=60)
    ensure.add_argument("--partitions", type=int,
                        default=int(os.environ.get("MERIDIAN_TOPIC_PARTITIONS", "6")))
    ensure.add_argument("--replication-factor", type=int,
                        default=int(os.environ.get("MERIDIAN_TOPIC_REPLICATION_FACTOR", "1")))
    ensure.set_defaults(func=_ensure)
    describe = actions.add_parser("describe", help="partitions, messages and consumer lag")
    describe.add_argument("--json", action="store_true")
    describe.set_defaults(func=_describe)
