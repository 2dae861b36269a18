"""Which event type the worker hands to which delivery use case."""

from __future__ import annotations

from meridian_common.events.envelope import ReceivedEvent
from meridian_common.events.types import (
    COURSE_EVENTS,
    ENROLLMENT_EVENTS,
    OFFERING_EVENTS,
    SESSION_EVENTS,
)
from meridian_common.messaging.consumer import Handler

from ..application import delivery_events as use
from ..application.delivery_ports import Delivery


def build_handlers(ctx: Delivery) -> dict[str, Handler]:
    """The worker's handler table: catalog, enrollment and session events → delivery."""

    def course(_event: ReceivedEvent, payload: dict) -> None:
        use.course_announced(ctx, payload)

    def offering(event: ReceivedEvent, payload: dict) -> None:
        use.offering_announced(ctx, event.id, event.type, payload)

    def enrollment(event: ReceivedEvent, payload: dict) -> None:
        use.enrollment_changed(ctx, event.id, event.type, payload)

    def session(event: ReceivedEvent, payload: dict) -> None:
        use.session_changed(ctx, event.id, event.type, payload)

    table: dict[str, Handler] = {}
    for event_types, handler in ((COURSE_EVENTS, course), (OFFERING_EVENTS, offering),
                                 (ENROLLMENT_EVENTS, enrollment), (SESSION_EVENTS, session)):
        table.update(dict.fromkeys(event_types, handler))
    return table
