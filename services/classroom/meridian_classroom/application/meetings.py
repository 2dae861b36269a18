"""Which meeting provider an offering's live sessions use, as its faculty chose."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.access import Caller
from . import access
from .classroom import Classroom
from .errors import Unprocessable
from .joining import provider_choice
from .ports import ProviderChoice


@dataclass(frozen=True)
class Availability:
    """Which providers this deployment can run with per-user links."""

    bbb: bool
    signed_jitsi: bool


def current(app: Classroom, caller: Caller, offering_id: str) -> ProviderChoice:
    """The offering's provider, or the deployment default (course faculty)."""
    access.require_manage(access.offering(app, offering_id), caller)
    return provider_choice(app, offering_id)


def choose(app: Classroom, caller: Caller, offering_id: str, wanted: dict,
           available: Availability) -> ProviderChoice:
    """Choose BigBlueButton, Jitsi (signed, or a public room by explicit choice), or an
    external meeting URL (course faculty)."""
    access.require_manage(access.offering(app, offering_id), caller)
    provider, public_room = wanted["provider"], bool(wanted.get("public_room"))
    if provider == "bbb" and not available.bbb:
        raise Unprocessable("BigBlueButton is not configured on this deployment.",
                            {"provider": ["BigBlueButton is not available here."]})
    if provider == "jitsi" and not (available.signed_jitsi or public_room):
        raise Unprocessable(
            "This deployment's Jitsi does not check tokens: anyone holding a room's link can "
            "enter. Choose it with public_room true to accept that, or another provider.",
            {"public_room": ["Set to true to accept an unsigned public Jitsi room."]})
    choice = ProviderChoice(provider=provider, url=wanted.get("url"), configured=True,
                            updated_at=app.clock.now(), public_room=public_room)
    app.meeting_settings.choose(offering_id, choice, caller.user_id)
    return choice
