"""Join links from the offering's meeting provider: BigBlueButton, Jitsi, or an external URL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import requests

from meridian_common.events.envelope import as_utc
from meridian_common.web.errors import ApiError

from .config import ClassroomConfig
from .domain import bbb, jitsi
from .domain.access import is_moderator
from .domain.window import opens_at
from .models import LiveSession, MeetingSetting

MAX_BBB_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True)
class ProviderChoice:
    """The provider an offering uses, and whether faculty chose it or it is the default."""

    provider: str
    url: str | None
    configured: bool
    updated_at: datetime | None = None


@dataclass(frozen=True)
class JoinLink:
    """Where to send one person, and until when the link is meant to work."""

    url: str
    provider: str
    expires_at: datetime


def provider_for(offering_id: str, config: ClassroomConfig) -> ProviderChoice:
    """The provider faculty chose for the offering, else the deployment default."""
    setting = MeetingSetting.objects(id=offering_id).first()
    if setting is None:
        return ProviderChoice(provider=config.default_provider, url=None, configured=False)
    return ProviderChoice(provider=setting.provider, url=setting.url, configured=True,
                          updated_at=setting.updated_at)


def _unavailable(detail: str) -> ApiError:
    return ApiError(503, detail, code="meeting_provider_unavailable", headers={"Retry-After": "5"})


def _bbb_create_time(config: ClassroomConfig, session: LiveSession) -> str:
    url = bbb.create_url(config.bbb_url, config.bbb_secret, session.id, session.title)
    try:
        with requests.get(url, timeout=config.bbb_timeout_seconds, stream=True) as response:
            body = response.raw.read(MAX_BBB_ANSWER_BYTES, decode_content=True)
            status = response.status_code
    except requests.RequestException as exc:
        raise _unavailable("The BigBlueButton server did not answer; try again shortly.") from exc
    if status != 200:
        raise _unavailable(f"The BigBlueButton server answered HTTP {status}; try again shortly.")
    try:
        return bbb.parse_create_response(body.decode("utf-8", "replace"))
    except bbb.BbbError as exc:
        raise _unavailable(f"The BigBlueButton server did not open the meeting ({exc}).") from exc


def _jitsi(config: ClassroomConfig, session: LiveSession, user_id: str, role: str) -> str:
    room = jitsi.room_name(session.id)
    if not (config.jitsi_app_id and config.jitsi_secret):
        return jitsi.room_url(config.jitsi_domain, room)
    signed = jitsi.token(app_id=config.jitsi_app_id, secret=config.jitsi_secret,
                         domain=config.jitsi_domain, room=room, user_id=user_id, name=user_id,
                         moderator=is_moderator(role),
                         not_before=opens_at(as_utc(session.start)) - timedelta(minutes=1),
                         expires=as_utc(session.end))
    return jitsi.room_url(config.jitsi_domain, room, signed)


def join_link(config: ClassroomConfig, session: LiveSession, user_id: str,
              role: str) -> JoinLink:
    """The link for `user_id` joining `session` in `role` (503 when the provider is down)."""
    choice = provider_for(session.offering_id, config)
    expires = as_utc(session.end)
    if choice.provider == "external":
        if not choice.url:
            raise ApiError(409, "No meeting URL has been set for this offering yet.",
                           code="no_meeting_url")
        return JoinLink(url=choice.url, provider="external", expires_at=expires)
    if choice.provider == "jitsi":
        return JoinLink(url=_jitsi(config, session, user_id, role), provider="jitsi",
                        expires_at=expires)
    if not config.bbb_configured:
        raise _unavailable("BigBlueButton is not configured on this deployment.")
    create_time = _bbb_create_time(config, session)
    url = bbb.join_url(config.bbb_url, config.bbb_secret, session.id, user_id, user_id,
                       is_moderator(role), create_time)
    return JoinLink(url=url, provider="bbb", expires_at=expires)
