"""One request id from the gateway, through the service and Kafka, to the consumer that acted."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import TopicReader, env, header, unique, wait_for


def _log_lines(program: str) -> list[dict]:
    """The JSON lines of one process of the test stack (other lines are skipped)."""
    lines = []
    for raw in (Path(env("RUN_DIR")) / "logs" / f"{program}.log").read_text().splitlines():
        if raw.startswith("{"):
            try:
                lines.append(json.loads(raw))
            except ValueError:
                continue
    return lines


def test_request_id_reaches_the_event_and_the_consumers_log(admin):
    request_id = unique("trace-")
    created = admin.post("/api/v1/institutions", headers={"X-Request-ID": request_id}, json={
        "name": f"Trace University {request_id}", "country": "SE",
        "timezone": "Europe/Stockholm", "alliances": []})
    assert created.status_code == 201
    assert created.headers["X-Request-ID"] == request_id

    reader = TopicReader("lms.catalog")
    try:
        messages = reader.wait_until(lambda seen: any(
            header(m, "ce_requestid") == request_id for m in seen), timeout=60)
    finally:
        reader.close()
    (event,) = [m for m in messages if header(m, "ce_requestid") == request_id]
    assert header(event, "ce_type") == "lms.catalog.institution.created.v1"
    assert json.loads(event.value)["institution_id"] == created.json()["id"]
    event_id = header(event, "ce_id")

    served = [line for line in _log_lines("catalog-api") if line.get("request_id") == request_id]
    assert any(line.get("route") == "/api/v1/institutions" for line in served)

    # Both the enrollment and the classroom worker consume the catalog's institution events;
    # whichever handles it first proves the chain (the other may be busy with a backlog).
    def handled() -> list[dict]:
        return [line for program in ("enrollment-worker", "classroom-worker")
                for line in _log_lines(program) if line.get("event_id") == event_id]

    lines = wait_for(handled, timeout=120, message="a consumer's log line for the event")
    for line in lines:
        assert line["request_id"] == request_id
        assert line["message"] == "handled lms.catalog.institution.created.v1"
        assert line["service"] in ("enrollment-worker", "classroom-worker")
        assert (line["topic"], line["partition"], line["offset"]) == (
            event.topic, event.partition, event.offset)
