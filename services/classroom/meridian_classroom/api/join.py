"""Joining a live session and the attendance it leaves behind."""

from __future__ import annotations

from flask import jsonify
from flask_smorest import Blueprint
from marshmallow import Schema

from meridian_common.events.envelope import as_utc, utcnow
from meridian_common.persistence.idempotency import idempotent
from meridian_common.web.errors import ApiError
from meridian_common.web.http import PageArgs, page_response

from ..attendance import record_join, visits
from ..domain.access import join_role
from ..domain.attendance import summarise
from ..domain.localtime import iso_in_zone
from ..domain.window import join_state, opens_at
from ..meetings import join_link
from ..readmodels import is_confirmed, offering_context
from ..schedule import load_session
from ..schemas.access import AttendeeOut, JoinOut
from ..schemas.fields import page_schema
from ..schemas.sessions import ZoneArgs
from .common import caller, classroom_config, forbidden, require_manage, utc_text

blp = Blueprint("join", __name__, url_prefix="/api/v1/sessions",
                description="Joining live sessions, and who attended.")

_REFUSALS = {
    "too_early": "Joining opens 15 minutes before the session starts.",
    "ended": "The session has ended.",
    "cancelled": "The session was cancelled.",
}


class JoinIn(Schema):
    """No fields: the body may be empty or `{}`."""


@blp.route("/<session_id>/join", methods=["POST"])
@blp.arguments(JoinIn)
@blp.response(200, JoinOut)
@blp.doc(security=[{"bearerAuth": []}])
@idempotent
def join(_body, session_id):
    """A join link for confirmed students and faculty, from 15 minutes before the start to
    the end (409 `too_early` / `ended`); each join is recorded as attendance."""
    principal = caller()
    session = load_session(session_id)
    context = offering_context(session.offering_id)
    member = principal.user_id not in context.faculty and is_confirmed(
        session.offering_id, principal.user_id)
    role = join_role(principal, context.faculty, member)
    if role is None:
        raise forbidden("Only the offering's confirmed students and its faculty can join.")
    start, end = as_utc(session.start), as_utc(session.end)
    state = join_state(utcnow(), start, end, session.status)
    if state != "open":
        raise ApiError(409, _REFUSALS[state], code=state, opens_at=utc_text(opens_at(start)),
                       ends_at=utc_text(end))
    link = join_link(classroom_config(), session, principal.user_id, role)
    attendance = record_join(session, principal.user_id, role, link.provider)
    return jsonify({"join_url": link.url, "provider": link.provider,
                    "expires_at": utc_text(link.expires_at), "attendance_id": attendance.id,
                    "role": role})


class AttendanceArgs(PageArgs, ZoneArgs):
    """`?page=&per_page=&tz=`."""


def _attendee(entry: dict, tz: str | None) -> dict:
    body = {**entry, "first_joined_at": utc_text(entry["first_joined_at"]),
            "last_left_at": utc_text(entry["last_left_at"]),
            "visits": [{"joined_at": utc_text(v["joined_at"]), "left_at": utc_text(v["left_at"])}
                       for v in entry["visits"]]}
    if tz:
        left = entry["last_left_at"]
        body.update(local_timezone=tz, first_joined_local=iso_in_zone(entry["first_joined_at"], tz),
                    last_left_local=iso_in_zone(left, tz) if left else None)
    return body


@blp.route("/<session_id>/attendance")
@blp.arguments(AttendanceArgs, location="query")
@blp.response(200, page_schema(AttendeeOut, "AttendancePage"))
@blp.doc(security=[{"bearerAuth": []}])
def attendance(args, session_id):
    """Who joined, when, and for how long where the provider reports departures (faculty)."""
    session = load_session(session_id)
    require_manage(offering_context(session.offering_id), caller())
    people = summarise(visits(session_id))
    first = (args["page"] - 1) * args["per_page"]
    page = people[first:first + args["per_page"]]
    return page_response([_attendee(p, args.get("tz")) for p in page], args, len(people))
