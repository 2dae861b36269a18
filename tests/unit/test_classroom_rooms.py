"""Live-class rooms: random per session, signed per user, public only by the faculty's choice."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import jwt
import pytest

from meridian_classroom.adapters.config import ClassroomConfig
from meridian_classroom.adapters.meetings import HttpMeetingProvider
from meridian_classroom.application import meetings
from meridian_classroom.application.errors import Unavailable, Unprocessable
from meridian_classroom.application.ports import ProviderChoice
from meridian_classroom.application.rooms import assign_missing_rooms
from meridian_common.conflicts import Conflict
from tests.unit.test_classroom_use_cases import LEAD, series, world

SECRET = "jitsi-app-secret-for-the-classroom-unit-tests"
DEFAULT = ProviderChoice(provider="jitsi", url=None, configured=False)
UNSIGNED, SIGNED = meetings.Availability(False, False), meetings.Availability(False, True)


def config(signed: bool) -> ClassroomConfig:
    return ClassroomConfig(public_url="http://gw", default_provider="jitsi", bbb_url="",
                           bbb_secret="", bbb_webhook_url="", bbb_timeout_seconds=1.0,
                           jitsi_domain="meet.example.org",
                           jitsi_app_id="meridian" if signed else "",
                           jitsi_secret=SECRET if signed else "")


def test_every_session_gets_its_own_random_room_unrelated_to_its_id():
    app = world()
    _series, sessions = series(app, count=5)
    rooms = [s.room for s in sessions]
    assert len(set(rooms)) == 5
    for session in sessions:
        assert session.id not in session.room and session.series_id not in session.room
        assert len(session.room.removeprefix("meridian-")) == 32  # 128 random bits in hex


def test_a_signed_link_is_per_user_and_expires_with_the_session():
    app = world()
    _series, (session,) = series(app)
    provider = HttpMeetingProvider(config(signed=True))
    links = {who: provider.join_url(DEFAULT, session, who, role)
             for who, role in (("u-stu", "student"), ("u-lead", "lead"))}
    assert links["u-stu"] != links["u-lead"]
    for who, link in links.items():
        url = urlsplit(link)
        assert url.path == f"/{session.room}" and session.id not in link
        claims = jwt.decode(dict(parse_qsl(url.query))["jwt"], SECRET, algorithms=["HS256"],
                            audience="jitsi", options={"verify_nbf": False})
        assert claims["context"]["user"]["id"] == who and claims["room"] == session.room
        assert claims["exp"] == int(session.end.timestamp())
        assert claims["nbf"] <= int((session.start - timedelta(minutes=15)).timestamp())


def test_without_token_authentication_the_default_gives_no_public_link():
    app = world()
    _series, (session,) = series(app)
    with pytest.raises(Conflict) as refused:
        HttpMeetingProvider(config(signed=False)).join_url(DEFAULT, session, "u-stu", "student")
    assert refused.value.code == "meeting_not_configured"


def test_a_public_room_only_by_the_faculty_s_explicit_choice():
    app = world()
    with pytest.raises(Unprocessable) as refused:
        meetings.choose(app, LEAD, "off-a", {"provider": "jitsi"}, UNSIGNED)
    assert "public_room" in refused.value.errors
    assert app.meeting_settings.choice("off-a") is None
    chosen = meetings.choose(app, LEAD, "off-a", {"provider": "jitsi", "public_room": True},
                             UNSIGNED)
    assert chosen.public_room and app.meeting_settings.choice("off-a").public_room
    assert not meetings.choose(app, LEAD, "off-b", {"provider": "jitsi"}, SIGNED).public_room
    _series, (session,) = series(app)
    link = HttpMeetingProvider(config(signed=False)).join_url(chosen, session, "u-stu",
                                                              "student")
    assert link == f"https://meet.example.org/{session.room}"


def test_sessions_stored_before_rooms_existed_get_one_each_once():
    app = world()
    _series, sessions = series(app, count=3)
    for session in sessions[:2]:
        app.sessions.rows[session.id] = replace(session, room="")
    assert assign_missing_rooms(app) == 2
    rooms = {s.room for s in app.sessions.rows.values()}
    assert len(rooms) == 3 and "" not in rooms
    assert app.lease.held[-1] == ["offering:off-a"]
    assert assign_missing_rooms(app) == 0


def test_a_session_without_a_room_yet_is_unavailable_not_a_guessable_link():
    app = world()
    _series, (session,) = series(app)
    with pytest.raises(Unavailable):
        HttpMeetingProvider(config(signed=True)).join_url(DEFAULT, replace(session, room=""),
                                                          "u-stu", "student")
