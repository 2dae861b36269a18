"""Meeting providers: the offering's stored choice, and join links from BigBlueButton (HTTP),
Jitsi (computed, optionally signed) or an external URL."""

from __future__ import annotations

from datetime import timedelta

import requests

from meridian_common.conflicts import Conflict
from meridian_common.events.envelope import as_utc

from ..application.errors import Unavailable
from ..application.ports import ProviderChoice
from ..domain import bbb, jitsi
from ..domain.access import is_moderator
from ..domain.session import Session
from ..domain.window import opens_at
from .config import ClassroomConfig
from .documents import MeetingSetting

MAX_BBB_ANSWER_BYTES = 64 * 1024


class MongoMeetingSettings:
    """The `MeetingSettings` port on `meeting_settings` (one document per offering)."""

    def choice(self, offering_id: str) -> ProviderChoice | None:
        """What faculty chose for the offering, if anything."""
        row = MeetingSetting._get_collection().find_one({"_id": offering_id})
        if row is None:
            return None
        return ProviderChoice(provider=row["provider"], url=row.get("url"), configured=True,
                              updated_at=as_utc(row["updated_at"]),
                              public_room=bool(row.get("public_room")))

    def choose(self, offering_id: str, choice: ProviderChoice, user_id: str) -> None:
        """Store the offering's provider."""
        MeetingSetting._get_collection().replace_one(
            {"_id": offering_id}, {"provider": choice.provider, "url": choice.url,
                                   "public_room": choice.public_room, "updated_by": user_id,
                                   "updated_at": choice.updated_at}, upsert=True)


class HttpMeetingProvider:
    """The `MeetingProvider` port: BigBlueButton's `create` call, Jitsi rooms, external URLs."""

    def __init__(self, config: ClassroomConfig):
        self.config = config

    def _bbb_create_time(self, session: Session) -> str:
        config = self.config
        url = bbb.create_url(config.bbb_url, config.bbb_secret, session.id, session.title)
        try:
            with requests.get(url, timeout=config.bbb_timeout_seconds, stream=True) as answer:
                body = answer.raw.read(MAX_BBB_ANSWER_BYTES, decode_content=True)
                status = answer.status_code
        except requests.RequestException as exc:
            raise Unavailable("The BigBlueButton server did not answer; try again shortly.") \
                from exc
        if status != 200:
            raise Unavailable(f"The BigBlueButton server answered HTTP {status}; "
                              "try again shortly.")
        try:
            return bbb.parse_create_response(body.decode("utf-8", "replace"))
        except bbb.BbbError as exc:
            raise Unavailable(f"The BigBlueButton server did not open the meeting ({exc}).") \
                from exc

    def _jitsi(self, choice: ProviderChoice, session: Session, user_id: str, role: str) -> str:
        config, room = self.config, session.room
        if not room:
            raise Unavailable("The session's meeting room is still being prepared; "
                              "try again shortly.")
        if choice.public_room:
            return jitsi.room_url(config.jitsi_domain, room)
        if not config.jitsi_signed:
            # An unsigned room admits whoever has the link: only faculty may choose that.
            raise Conflict("meeting_not_configured",
                           "This offering's faculty have not chosen where its live sessions "
                           "take place yet.")
        signed = jitsi.token(app_id=config.jitsi_app_id, secret=config.jitsi_secret,
                             domain=config.jitsi_domain, room=room, user_id=user_id,
                             name=user_id, moderator=is_moderator(role),
                             not_before=opens_at(session.start) - timedelta(minutes=1),
                             expires=session.end)
        return jitsi.room_url(config.jitsi_domain, room, signed)

    def join_url(self, choice: ProviderChoice, session: Session, user_id: str,
                 role: str) -> str:
        """The link for `user_id` joining `session` in `role` (Unavailable when it is down)."""
        if choice.provider == "external":
            if not choice.url:
                raise Conflict("no_meeting_url",
                               "No meeting URL has been set for this offering yet.")
            return choice.url
        if choice.provider == "jitsi":
            return self._jitsi(choice, session, user_id, role)
        if not self.config.bbb_configured:
            raise Unavailable("BigBlueButton is not configured on this deployment.")
        create_time = self._bbb_create_time(session)
        return bbb.join_url(self.config.bbb_url, self.config.bbb_secret, session.id, user_id,
                            user_id, is_moderator(role), create_time)
