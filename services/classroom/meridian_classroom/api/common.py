"""Helpers shared by the classroom's blueprints: callers, permissions, session views, ranges."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Response, current_app

from meridian_common.events.envelope import as_utc
from meridian_common.web.auth import Principal, current_principal
from meridian_common.web.errors import ApiError
from meridian_common.web.http import check_if_match, etag_for, with_etag

from ..config import ClassroomConfig
from ..domain.access import can_manage, can_view
from ..domain.localtime import iso_in_zone
from ..models import LiveSession
from ..readmodels import OfferingContext, is_confirmed
from ..sessioncache import SessionRow
from ..zones import remember


def caller() -> Principal:
    """The verified caller; their token's zone is remembered for fair-hours suggestions."""
    principal = current_principal()
    remember(principal)
    return principal


def classroom_config() -> ClassroomConfig:
    """This app's classroom settings."""
    return current_app.extensions["meridian.classroom"]


def forbidden(detail: str) -> ApiError:
    """The 403 for an authenticated caller without the right."""
    return ApiError(403, detail, code="forbidden")


def require_manage(context: OfferingContext, principal: Principal) -> None:
    """403 unless the caller is on the course's faculty (or a platform admin)."""
    if not can_manage(principal, context.faculty):
        raise forbidden("Only the course's faculty manage its sessions.")


def require_view(context: OfferingContext, principal: Principal) -> None:
    """403 unless the caller is a confirmed student, on the faculty, or a platform admin."""
    member = principal.user_id not in context.faculty and is_confirmed(
        context.offering.id, principal.user_id)
    if not can_view(principal, context.faculty, member):
        raise forbidden("Only the offering's confirmed students and faculty see its sessions.")


def utc_text(value: datetime | None) -> str | None:
    """RFC 3339 in UTC with `Z`."""
    if value is None:
        return None
    value = as_utc(value).astimezone(UTC)
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def view_session(session: LiveSession | SessionRow, tz: str | None = None) -> dict:
    """The public view of a session, with local times when `tz` is given."""
    start, end = as_utc(session.start), as_utc(session.end)
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


def session_etag(session: LiveSession) -> str:
    """The ETag of a stored session (identity + version)."""
    return etag_for("LiveSession", session.id, session.version)


def check_session_etag(session: LiveSession) -> None:
    """412 when the client's If-Match names an older version."""
    check_if_match(session_etag(session))


def answer_session(session: LiveSession, tz: str | None, extra: dict | None = None) -> Response:
    """One session with its ETag."""
    return with_etag({**view_session(session, tz), **(extra or {})}, session_etag(session))


def _day_start(day: date, tz: str | None) -> datetime:
    # A boundary inside a DST gap resolves like zoneinfo does; exactness there doesn't matter.
    return datetime.combine(day, time()).replace(tzinfo=ZoneInfo(tz or "UTC")).astimezone(UTC)


def time_range(args: dict, tz: str | None) -> tuple[datetime | None, datetime | None]:
    """`from`/`to` as UTC instants: dates are whole days in `tz` (else UTC), `to` inclusive."""
    begin, until = args.get("from_"), args.get("to")
    if isinstance(begin, date) and not isinstance(begin, datetime):
        begin = _day_start(begin, tz)
    if isinstance(until, date) and not isinstance(until, datetime):
        until = _day_start(until + timedelta(days=1), tz)
    if begin is not None and until is not None and until <= begin:
        raise ApiError(422, "'to' must be after 'from'.", errors={"to": ["Must be after from."]})
    return begin, until
