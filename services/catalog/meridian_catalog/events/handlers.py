"""Enrollment events keep the catalog's seat counts (seats_taken, waitlist_length) current."""

from __future__ import annotations

from meridian_common.events.envelope import ReceivedEvent
from meridian_common.events.types import ENROLLMENT_EVENTS
from meridian_common.messaging.consumer import Handler

from ..application.ports import CatalogPorts
from ..application.seats import record_enrollment_state


def build_handlers(ports: CatalogPorts) -> dict[str, Handler]:
    """The consumer's handlers, one per enrollment event type, over `ports`."""

    def record(_event: ReceivedEvent, payload: dict) -> None:
        record_enrollment_state(ports, payload)

    return dict.fromkeys(ENROLLMENT_EVENTS, record)
