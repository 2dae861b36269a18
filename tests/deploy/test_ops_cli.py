"""The `meridian` ops commands against the real test stack (isolated databases and topics)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from kafka import KafkaConsumer
from kafka.coordinator.assignors.abstract import ConsumerProtocolAssignment
from kafka.coordinator.assignors.range import RangePartitionAssignor

from meridian_common.config import load_settings
from meridian_common.events.envelope import new_event, utcnow
from meridian_common.persistence.pending import mark_published
from meridian_ops import cli, kafka_admin, status
from tests.support import env, wait_for


def run(capsys, *argv: str) -> tuple[int, str]:
    """Run `meridian argv...` in process; returns exit code and stdout."""
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


def test_the_installed_command_lists_every_group():
    done = subprocess.run([str(Path(sys.executable).parent / "meridian"), "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    for group in ("status", "topics", "dlq", "outbox", "indexes", "demo", "wait-ready"):
        assert group in done.stdout


def test_topics_describe_shows_partitions_and_lag(capsys, monkeypatch, topic_prefix):
    monkeypatch.setenv("MERIDIAN_TOPIC_PREFIX", topic_prefix)
    code, out = run(capsys, "topics", "describe", "--json")
    state = json.loads(out)
    assert code == 0 and state["missing"] == []
    catalog = state["topics"][f"{topic_prefix}lms.catalog"]
    assert catalog["partitions"] == 3 and catalog["messages"] == 0
    # The catalog reads its own course events too (they repair its search cards).
    assert catalog["lag"] == {f"{topic_prefix}{group}": 0 for group in (
        "catalog", "enrollment", "classroom", "notifications")}
    assert len(state["topics"]) == 6


def test_topics_describe_reports_missing_topics(capsys, monkeypatch):
    monkeypatch.setenv("MERIDIAN_TOPIC_PREFIX", "never-created.")
    code, out = run(capsys, "topics", "describe")
    assert code == 1 and out.count("missing: never-created.lms.") == 6


def test_outbox_backlog_counts_unpublished_events(capsys, monkeypatch, mongo_client,
                                                  isolated_db_name):
    monkeypatch.setenv("MERIDIAN_CATALOG_DB", isolated_db_name)
    event = new_event("lms.catalog.institution.created.v1", source="tests", key="ins_1", data={
        "institution_id": "ins_1", "name": "Test", "country": "GB",
        "timezone": "Europe/London", "alliances": [], "version": 1})
    mongo_client[isolated_db_name]["institutions"].insert_one(
        {"_id": "ins_1", "outbox": [event], "outbox_last_at": utcnow()})
    code, out = run(capsys, "outbox", "backlog", "--service", "catalog", "--json")
    assert code == 0 and json.loads(out)["catalog"]["pending"] == 1
    mark_published(mongo_client[isolated_db_name], [{"_id": event["id"]}])
    _, out = run(capsys, "outbox", "backlog", "--service", "catalog", "--json")
    assert json.loads(out)["catalog"] == {"pending": 0, "oldest_age_seconds": None}


def test_indexes_ensure_creates_the_declared_indexes(capsys, monkeypatch, mongo_client,
                                                     isolated_db_name):
    monkeypatch.setenv("MERIDIAN_ENROLLMENT_DB", isolated_db_name)
    code, out = run(capsys, "indexes", "ensure", "--service", "enrollment")
    assert code == 0 and "enrollment: indexes ready" in out
    database = mongo_client[isolated_db_name]
    keys = [list(i["key"]) for i in database["enrollments"].list_indexes()]
    assert ["offering_id", "status", "created_at"] in keys and ["student_id", "created_at"] in keys
    assert "idempotency_keys" in database.list_collection_names()


def test_unknown_service_is_refused(capsys):
    code = cli.main(["outbox", "backlog", "--service", "billing"])
    assert code == 1 and "unknown service 'billing'" in capsys.readouterr().err


def test_status_reports_the_test_stack(capsys):
    code, out = run(capsys, "status", "--json")
    report = json.loads(out)
    assert report["processes"]["catalog"]["url"] == f"{env('CATALOG_URL')}/readyz"
    assert report["processes"]["catalog"]["ok"] is True
    assert report["kafka"]["missing"] == []
    assert set(report["outbox"]) == {"catalog", "enrollment", "classroom", "notifications"}
    assert code == (0 if status.healthy(report) else 1)


@pytest.mark.parametrize("broken", ["process", "kafka", "outbox"])
def test_status_is_unhealthy_when_any_part_is(broken):
    report = {"processes": {"gateway": {"ok": True}}, "kafka": {"ok": True},
              "outbox": {"catalog": {"pending": 0}}}
    assert status.healthy(report)
    if broken == "process":
        report["processes"]["gateway"]["ok"] = False
    elif broken == "kafka":
        report["kafka"] = {"ok": False, "error": "down"}
    else:
        report["outbox"]["catalog"] = {"error": "down"}
    assert not status.healthy(report)


def test_kafka_is_not_ok_while_a_group_holds_none_of_a_partition():
    topic = {"partitions": 3, "lag": {"enrollment": 0}, "unassigned": {}}
    assert status.kafka_ok({"topics": {"lms.catalog": topic}, "missing": []})
    assert not status.kafka_ok({"topics": {"lms.catalog": {
        **topic, "unassigned": {"enrollment": [0, 1, 2]}}}, "missing": []})
    assert not status.kafka_ok({"topics": {}, "missing": ["lms.catalog"]})


class _AssignsNothing(RangePartitionAssignor):
    """Leaves every member without partitions, as kafka-python 3.0 did to a member that
    joined while its topic was being created."""

    name = "assigns-nothing"

    @classmethod
    def assign(cls, cluster, members):
        return {m.member_id: ConsumerProtocolAssignment(cls.version, [], b"") for m in members}


@pytest.mark.parametrize("assignor", [_AssignsNothing, RangePartitionAssignor])
def test_partitions_no_member_holds_are_a_finding(capsys, monkeypatch, topic_prefix, assignor):
    topic, group = f"{topic_prefix}lms.catalog", f"{topic_prefix}enrollment"
    consumer = KafkaConsumer(bootstrap_servers=env("KAFKA_BOOTSTRAP"), group_id=group,
                             partition_assignment_strategy=[assignor])
    settings = load_settings("ops", {"topic_prefix": topic_prefix})
    try:
        # Subscribed as the workers do, once the topic's partitions are known: a group joined
        # any earlier may be left holding nothing by kafka-python itself.
        wait_for(lambda: consumer.partitions_for_topic(topic), timeout=30,
                 message="the topic's partitions")
        consumer.subscribe([topic])
        with kafka_admin.admin_client(settings) as admin:
            def settled() -> bool:
                consumer.poll(timeout_ms=100)
                return admin.describe_groups([group])[group]["group_state"] == "Stable"

            wait_for(settled, timeout=60, message="the group to settle")
            held_by_none = kafka_admin.unassigned_partitions(admin, group, topic, 3)
        monkeypatch.setenv("MERIDIAN_TOPIC_PREFIX", topic_prefix)
        _, out = run(capsys, "topics", "describe")
    finally:
        consumer.close()
    if assignor is _AssignsNothing:
        assert held_by_none == [0, 1, 2]
        assert f"{group}=0 (partitions [0, 1, 2] held by no member)" in out
    else:
        assert held_by_none == []
        assert "held by no member" not in out
