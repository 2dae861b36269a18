"""Catalog events, turned into calls of the application's read-model use cases."""

from __future__ import annotations

from meridian_common.events.envelope import ReceivedEvent
from meridian_common.events.types import COURSE_EVENTS, INSTITUTION_EVENTS, OFFERING_EVENTS
from meridian_common.messaging.consumer import Handler

from ..application import catalog
from ..application.ports import Ports
from ..domain.eligibility import InstitutionFacts
from ..domain.offering import OfferingView

OFFERING_FIELDS = ("course_id", "provider_institution_id", "capacity", "enrollment_opens_at",
                   "enrollment_closes_at", "eligibility", "selection", "waitlist", "status")


def offering_view(payload: dict) -> OfferingView:
    """The read model of an offering event's payload."""
    return OfferingView(id=payload["offering_id"],
                        **{name: payload[name] for name in OFFERING_FIELDS},
                        faculty=[dict(member) for member in payload["faculty"]],
                        version=payload["version"])


def handlers(ports: Ports) -> dict[str, Handler]:
    """The worker's handler for every catalog event type it consumes."""

    def on_offering(_event: ReceivedEvent | None, payload: dict) -> None:
        catalog.offering_announced(ports, offering_view(payload))

    def on_institution(_event: ReceivedEvent | None, payload: dict) -> None:
        catalog.institution_announced(ports, payload["institution_id"], payload["version"],
                                      InstitutionFacts(payload["country"],
                                                       tuple(payload["alliances"])))

    def on_course(_event: ReceivedEvent | None, payload: dict) -> None:
        catalog.course_announced(ports, payload["course_id"], payload["version"],
                                 payload["provider_institution_id"],
                                 [dict(member) for member in payload["faculty"]],
                                 payload.get("status"))

    return {**dict.fromkeys(OFFERING_EVENTS, on_offering),
            **dict.fromkeys(INSTITUTION_EVENTS, on_institution),
            **dict.fromkeys(COURSE_EVENTS, on_course)}
