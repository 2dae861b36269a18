"""Catalog and enrollment events → the classroom's use cases (read models, cancellations).

Every handler is idempotent and tolerates events arriving out of order (see readmodels).
"""

from __future__ import annotations

import logging

from meridian_common.events.envelope import ReceivedEvent
from meridian_common.events.types import (
    COURSE_EVENTS,
    ENROLLMENT_EVENTS,
    INSTITUTION_EVENTS,
    OFFERING_EVENTS,
)
from meridian_common.messaging.consumer import Handler

from ..application import readmodels
from ..application.classroom import Classroom

log = logging.getLogger(__name__)


def handlers(app: Classroom) -> dict[str, Handler]:
    """The consumer's table: event type → handler, each bound to `app`."""

    def institution(_event: ReceivedEvent, payload: dict) -> None:
        readmodels.record_institution(app, payload)

    def course(_event: ReceivedEvent, payload: dict) -> None:
        readmodels.record_course(app, payload)

    def offering(_event: ReceivedEvent, payload: dict) -> None:
        cancelled = readmodels.record_offering(app, payload)
        if cancelled:
            log.info("offering %s cancelled: %d sessions cancelled", payload["offering_id"],
                     cancelled)

    def enrollment(_event: ReceivedEvent, payload: dict) -> None:
        readmodels.record_enrollment(app, payload)

    table: dict[str, Handler] = {}
    for types, handler in ((INSTITUTION_EVENTS, institution), (COURSE_EVENTS, course),
                           (OFFERING_EVENTS, offering), (ENROLLMENT_EVENTS, enrollment)):
        table.update(dict.fromkeys(types, handler))
    return table
