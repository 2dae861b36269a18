"""Enrollment events keep the catalog's seat counts current; its own course events repair the
course search cards a stopped process left behind."""

from __future__ import annotations

from meridian_common.events.envelope import ReceivedEvent
from meridian_common.events.topics import ENROLLMENT
from meridian_common.events.types import COURSE_EVENTS, ENROLLMENT_EVENTS
from meridian_common.messaging.consumer import BatchHook, Handler

from ..application.courses import repair_search_card
from ..application.ports import CatalogPorts
from ..application.seats import record_enrollment_state, recount_seats


def build_handlers(ports: CatalogPorts) -> dict[str, Handler]:
    """The consumer's handlers, per enrollment and course event type, over `ports`."""

    def record(_event: ReceivedEvent, payload: dict) -> None:
        record_enrollment_state(ports, payload)

    def repair(_event: ReceivedEvent, payload: dict) -> None:
        repair_search_card(ports, payload)

    return {**dict.fromkeys(ENROLLMENT_EVENTS, record), **dict.fromkeys(COURSE_EVENTS, repair)}


def build_after_batch(ports: CatalogPorts) -> BatchHook:
    """What runs after each batch, before its commit: the seat figures of every offering the
    batch's enrollment events were about (their key) are recounted once."""

    def after_batch(messages: list) -> None:
        recount_seats(ports, sorted({m.key.decode() for m in messages
                                     if m.key and m.topic.endswith(ENROLLMENT)}))

    return after_batch
