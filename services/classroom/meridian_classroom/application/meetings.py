"""Which meeting provider an offering's live sessions use, as its faculty chose."""

from __future__ import annotations

from ..domain.access import Caller
from . import access
from .classroom import Classroom
from .errors import Unprocessable
from .joining import provider_choice
from .ports import ProviderChoice


def current(app: Classroom, caller: Caller, offering_id: str) -> ProviderChoice:
    """The offering's provider, or the deployment default (course faculty)."""
    access.require_manage(access.offering(app, offering_id), caller)
    return provider_choice(app, offering_id)


def choose(app: Classroom, caller: Caller, offering_id: str, provider: str, url: str | None,
           bbb_available: bool) -> ProviderChoice:
    """Choose BigBlueButton, Jitsi, or an external meeting URL (course faculty)."""
    access.require_manage(access.offering(app, offering_id), caller)
    if provider == "bbb" and not bbb_available:
        raise Unprocessable("BigBlueButton is not configured on this deployment.",
                            {"provider": ["BigBlueButton is not available here."]})
    now = app.clock.now()
    app.meeting_settings.choose(offering_id, provider, url, caller.user_id, now)
    return ProviderChoice(provider=provider, url=url, configured=True, updated_at=now)
