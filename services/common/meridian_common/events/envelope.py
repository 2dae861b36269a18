"""The CloudEvents 1.0 envelope: building stored event records and (de)coding Kafka messages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.v1.event import CloudEvent

from ..web.context import current_request_id
from .contracts import dump_payload
from .topics import topic_for_type

REQUEST_ID_EXTENSION = "requestid"


def utcnow() -> datetime:
    """Timezone-aware now in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Treat a naive datetime (as some drivers return) as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def new_event(event_type: str, *, source: str, key: str, data: dict,
              subject: str | None = None) -> dict:
    """A storable event record: validated payload plus the CloudEvents attributes."""
    now = utcnow()
    return {
        "id": uuid.uuid4().hex,
        "type": event_type,
        "source": source,
        "subject": subject or key,
        "key": key,
        "topic": topic_for_type(event_type),
        "time": now.isoformat().replace("+00:00", "Z"),
        "data": dump_payload(event_type, data),
        "request_id": current_request_id(),
        "stored_at": now,
    }


def to_kafka(record: dict) -> ce_kafka.KafkaMessage:
    """Encode a stored record as a binary-mode CloudEvents Kafka message."""
    attributes = {
        "id": record["id"],
        "type": record["type"],
        "source": record["source"],
        "subject": record["subject"],
        "time": datetime.fromisoformat(record["time"].replace("Z", "+00:00")),
        "datacontenttype": "application/json",
        "partitionkey": record["key"],
    }
    if record.get("request_id"):
        attributes[REQUEST_ID_EXTENSION] = record["request_id"]
    return ce_kafka.to_binary_event(CloudEvent(attributes=attributes, data=record["data"]))


@dataclass(frozen=True)
class ReceivedEvent:
    """An event read back from Kafka."""

    id: str
    type: str
    source: str
    subject: str | None
    key: str | None
    time: datetime | None
    data: dict
    request_id: str | None


def from_kafka(headers: list[tuple[str, bytes]] | None, key: bytes | None,
               value: bytes) -> ReceivedEvent:
    """Decode a binary-mode CloudEvents Kafka message (raises on anything malformed)."""
    message = ce_kafka.KafkaMessage(headers=dict(headers or []), key=key, value=value)
    event = ce_kafka.from_binary_event(message)
    attributes = event.get_attributes()
    data = event.get_data()
    if not isinstance(data, dict):
        raise ValueError("event data must be a JSON object")
    return ReceivedEvent(
        id=attributes["id"], type=attributes["type"], source=attributes["source"],
        subject=attributes.get("subject"), key=attributes.get("partitionkey"),
        time=attributes.get("time"), data=data,
        request_id=attributes.get(REQUEST_ID_EXTENSION),
    )
