"""Helpers shared by the classroom's blueprints: the wired use cases, callers, session views."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask import Response, current_app

from meridian_common.web.auth import Principal, current_principal
from meridian_common.web.errors import ApiError
from meridian_common.web.http import check_if_match, etag_for, with_etag
from meridian_common.web.validation import is_iana_zone

from ..application.access import note_zone
from ..application.classroom import Classroom
from ..application.reading import Window
from ..domain.localtime import iso_in_zone
from ..domain.session import Session

if TYPE_CHECKING:
    from ..adapters.config import ClassroomConfig

CLASSROOM, CONFIG = "meridian.classroom", "meridian.classroom.config"


def classroom() -> Classroom:
    """This app's use-case wiring."""
    return current_app.extensions[CLASSROOM]


def classroom_config() -> ClassroomConfig:
    """This app's classroom settings."""
    return current_app.extensions[CONFIG]


def caller() -> Principal:
    """The verified caller; their token's zone is remembered for fair-hours suggestions."""
    principal = current_principal()
    if principal.timezone and is_iana_zone(principal.timezone):
        note_zone(classroom(), principal.user_id, principal.timezone)
    return principal


def utc_text(value: datetime | None) -> str | None:
    """RFC 3339 in UTC with `Z`."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def view_session(session: Session, tz: str | None = None) -> dict:
    """The public view of a session, with local times when `tz` is given."""
    start, end = session.start, session.end
    body = {"id": session.id, "series_id": session.series_id,
            "series_index": session.series_index, "offering_id": session.offering_id,
            "kind": session.kind, "title": session.title, "start": utc_text(start),
            "end": utc_text(end), "timezone": session.timezone,
            "zone_start": iso_in_zone(start, session.timezone),
            "zone_end": iso_in_zone(end, session.timezone),
            "duration_minutes": session.duration_minutes,
            "instructors": list(session.instructors), "status": session.status,
            "sequence": session.sequence, "created_at": utc_text(session.created_at),
            "updated_at": utc_text(session.updated_at),
            "cancelled_at": utc_text(session.cancelled_at)}
    if tz:
        body.update(local_timezone=tz, local_start=iso_in_zone(start, tz),
                    local_end=iso_in_zone(end, tz))
    return body


def session_etag(session: Session) -> str:
    """The ETag of a stored session (identity + version)."""
    return etag_for("LiveSession", session.id, session.version)


def check_session_etag(session: Session) -> None:
    """412 when the client's If-Match names an older version."""
    check_if_match(session_etag(session))


def answer_session(session: Session, tz: str | None, extra: dict | None = None) -> Response:
    """One session with its ETag."""
    return with_etag({**view_session(session, tz), **(extra or {})}, session_etag(session))


def _day_start(day: date, tz: str | None) -> datetime:
    # A boundary inside a DST gap resolves like zoneinfo does; exactness there doesn't matter.
    return datetime.combine(day, time()).replace(tzinfo=ZoneInfo(tz or "UTC")).astimezone(UTC)


def window(args: dict, tz: str | None) -> Window:
    """`from`/`to` and the page: dates are whole days in `tz` (else UTC), `to` inclusive."""
    begin, until = args.get("from_"), args.get("to")
    if isinstance(begin, date) and not isinstance(begin, datetime):
        begin = _day_start(begin, tz)
    if isinstance(until, date) and not isinstance(until, datetime):
        until = _day_start(until + timedelta(days=1), tz)
    if begin is not None and until is not None and until <= begin:
        raise ApiError(422, "'to' must be after 'from'.", errors={"to": ["Must be after from."]})
    return Window(begin=begin, until=until, page=args["page"], per_page=args["per_page"])
