"""Jitsi rooms and the JWT their token authentication verifies."""

from datetime import UTC, datetime

import jwt

from meridian_classroom.domain.jitsi import new_room_name, room_url, token

SECRET = "a-jitsi-app-secret-of-at-least-32-bytes"


def test_token_claims_and_signature():
    signed = token(app_id="meridian", secret=SECRET, domain="meet.example.org",
                   room="meridian-4f1c", user_id="u-ana", name="Ana", moderator=True,
                   not_before=datetime(2026, 3, 2, 13, 44, tzinfo=UTC),
                   expires=datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    claims = jwt.decode(signed, SECRET, algorithms=["HS256"], audience="jitsi",
                        options={"verify_exp": False, "verify_nbf": False})
    assert claims["iss"] == "meridian" and claims["sub"] == "meet.example.org"
    assert claims["room"] == "meridian-4f1c"
    assert claims["nbf"] == int(datetime(2026, 3, 2, 13, 44, tzinfo=UTC).timestamp())
    assert claims["exp"] == int(datetime(2026, 3, 2, 15, 0, tzinfo=UTC).timestamp())
    assert claims["context"]["user"] == {"id": "u-ana", "name": "Ana", "moderator": True}


def test_room_urls_with_and_without_a_token():
    assert room_url("meet.jit.si", "meridian-ses_1") == "https://meet.jit.si/meridian-ses_1"
    assert room_url("meet.example.org", "r", "abc.def") == "https://meet.example.org/r?jwt=abc.def"


def test_room_names_are_random_and_long():
    names = {new_room_name() for _ in range(100)}
    assert len(names) == 100 and all(len(n) == len("meridian-") + 32 for n in names)
