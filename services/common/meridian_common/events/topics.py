"""Logical topic names and how event types map onto them."""

from __future__ import annotations

CATALOG = "lms.catalog"
ENROLLMENT = "lms.enrollment"
CLASSROOM = "lms.classroom"
ALL = (CATALOG, ENROLLMENT, CLASSROOM)
DLQ_SUFFIX = ".dlq"
PARTITIONS = 6


def topic_for_type(event_type: str) -> str:
    """`lms.catalog.course.published.v1` lives on `lms.catalog`."""
    parts = event_type.split(".")
    if len(parts) < 3 or parts[0] != "lms":
        raise ValueError(f"not a Meridian event type: {event_type}")
    return ".".join(parts[:2])


def dlq_for(topic: str) -> str:
    """The dead-letter twin of a topic."""
    return f"{topic}{DLQ_SUFFIX}"


def all_physical_topics(prefix: str = "") -> list[str]:
    """Every topic and DLQ the platform uses, with an optional test prefix."""
    return [f"{prefix}{name}" for topic in ALL for name in (topic, dlq_for(topic))]
