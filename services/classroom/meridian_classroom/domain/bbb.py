"""BigBlueButton: API checksums, signed create/join URLs, and the webhook events we read.

The checksum is the hex digest of call name + query string + shared secret (docs.bigbluebutton.org,
"API security model"); webhooks are signed over callback URL + form body + secret (bbb-webhooks).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode
from xml.etree import ElementTree

# The events attendance reads; other kinds pass through unread whatever their shape.
DEPARTURES = ("user-left", "meeting-ended")
ALGORITHMS_BY_LENGTH = {40: "sha1", 64: "sha256", 96: "sha384", 128: "sha512"}


class BbbError(Exception):
    """The BigBlueButton server refused a call or answered something unreadable."""


@dataclass(frozen=True)
class HookEvent:
    """A webhook event reduced to what attendance needs."""

    kind: str
    meeting_id: str
    user_id: str | None
    at: datetime


def checksum(call: str, query: str, secret: str, algorithm: str = "sha1") -> str:
    """The checksum BigBlueButton expects for `call` with `query` (already encoded)."""
    return hashlib.new(algorithm, f"{call}{query}{secret}".encode()).hexdigest()


def api_root(base_url: str) -> str:
    """`https://host/bigbluebutton/api` from the server URL in either usual spelling."""
    root = base_url.rstrip("/")
    return root if root.endswith("/api") else f"{root}/api"


def signed_url(base_url: str, secret: str, call: str, params: list[tuple[str, str]],
               algorithm: str = "sha1") -> str:
    """A ready-to-call API URL whose checksum covers exactly the query string it carries."""
    query = urlencode(params)
    signature = checksum(call, query, secret, algorithm)
    separator = "&" if query else ""
    return f"{api_root(base_url)}/{call}?{query}{separator}checksum={signature}"


def create_url(base_url: str, secret: str, meeting_id: str, name: str) -> str:
    """`create` for a session's meeting (idempotent on the server for the same meetingID)."""
    return signed_url(base_url, secret, "create",
                      [("name", name), ("meetingID", meeting_id), ("record", "false")])


def join_url(base_url: str, secret: str, meeting_id: str, full_name: str, user_id: str,
             moderator: bool, create_time: str) -> str:
    """`join` for one user; createTime pins the meeting instance `create` answered with."""
    return signed_url(base_url, secret, "join", [
        ("fullName", full_name), ("meetingID", meeting_id),
        ("role", "MODERATOR" if moderator else "VIEWER"), ("createTime", create_time),
        ("userID", user_id), ("redirect", "true")])


def parse_create_response(body: str) -> str:
    """The meeting's createTime from a `create` answer, or BbbError."""
    if "<!DOCTYPE" in body.upper() or "<!ENTITY" in body.upper():
        raise BbbError("the server answered with a DTD, which is never legitimate here")
    try:
        # No DTDs or entities reach the parser (refused above), so expansion attacks can't.
        root = ElementTree.fromstring(body)  # noqa: S314
    except ElementTree.ParseError as exc:
        raise BbbError(f"unreadable answer: {exc}") from exc
    if root.findtext("returncode") != "SUCCESS":
        raise BbbError(f"{root.findtext('messageKey') or 'failed'}: {root.findtext('message')}")
    create_time = root.findtext("createTime")
    if not create_time or not create_time.isdigit():
        raise BbbError("the answer carries no createTime")
    return create_time


def verify_webhook(callback_url: str, body: str, given: str | None, secret: str) -> bool:
    """True when `given` is the checksum of callback URL + raw form body + shared secret."""
    algorithm = ALGORITHMS_BY_LENGTH.get(len(given or ""))
    if algorithm is None or not secret:
        return False
    expected = hashlib.new(algorithm, f"{callback_url}{body}{secret}".encode()).hexdigest()
    # Bytes, because compare_digest refuses non-ASCII text (a hostile checksum may carry some).
    return hmac.compare_digest(expected.encode(), given.lower().encode("utf-8", "replace"))


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _event(item) -> HookEvent | None:
    data = _mapping(_mapping(item).get("data", item))
    attributes = _mapping(data.get("attributes"))
    meeting_id = _mapping(attributes.get("meeting")).get("external-meeting-id")
    user_id = _mapping(attributes.get("user")).get("external-user-id")
    stamp = _mapping(data.get("event")).get("ts")
    # Ids reach database filters: only plain strings may (a dict could be an operator).
    if not isinstance(meeting_id, str) or not meeting_id or not isinstance(
            stamp, int | float) or isinstance(stamp, bool) or not isinstance(user_id, str | None):
        return None
    try:
        at = datetime.fromtimestamp(stamp / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return HookEvent(kind=str(data.get("id")), meeting_id=meeting_id, user_id=user_id, at=at)


def hook_time(timestamp: str | None) -> datetime | None:
    """When bbb-webhooks sent a hook (its `timestamp` field, ms since the epoch), if readable."""
    if not timestamp or not timestamp.isdigit() or len(timestamp) > 16:
        return None
    return datetime.fromtimestamp(int(timestamp) / 1000, UTC)


def parse_webhook_events(event_field: str) -> list[HookEvent]:
    """The events in a webhook's `event` form field (a JSON array); ValueError if it isn't."""
    items = json.loads(event_field)
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValueError("the event field must hold a JSON array of objects")
    events = []
    for item in items:
        event = _event(item)
        if event is None and _mapping(item.get("data", item)).get("id") in DEPARTURES:
            raise ValueError("a departure event lacks its meeting, user or time")
        if event is not None:
            events.append(event)
    return events
