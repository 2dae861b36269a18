"""Jitsi Meet rooms, with a signed JWT when the deployment runs token authentication."""

from __future__ import annotations

import secrets
from datetime import datetime
from urllib.parse import quote

import jwt


def new_room_name() -> str:
    """A fresh room name with 128 random bits, unrelated to any id a feed or body shows."""
    return f"meridian-{secrets.token_hex(16)}"


def token(*, app_id: str, secret: str, domain: str, room: str, user_id: str, name: str,
          moderator: bool, not_before: datetime, expires: datetime) -> str:
    """An HS256 token in the shape Jitsi's prosody token plugin verifies."""
    claims = {
        "iss": app_id, "aud": "jitsi", "sub": domain, "room": room,
        "nbf": int(not_before.timestamp()), "exp": int(expires.timestamp()),
        "context": {"user": {"id": user_id, "name": name, "moderator": moderator}},
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def room_url(domain: str, room: str, signed: str | None = None) -> str:
    """The browser URL of a room, carrying the token when there is one."""
    url = f"https://{domain}/{quote(room)}"
    return f"{url}?jwt={signed}" if signed else url
