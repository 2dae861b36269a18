"""Joining a live session and the attendance it leaves behind."""

from __future__ import annotations

from flask import jsonify
from flask_smorest import Blueprint
from marshmallow import Schema

from meridian_common.persistence.idempotency import idempotent
from meridian_common.web.http import PageArgs, page_response

from ..application import joining
from ..domain.localtime import iso_in_zone
from .common import caller, classroom, utc_text
from .schemas.access import AttendeeOut, JoinOut
from .schemas.fields import page_schema
from .schemas.sessions import ZoneArgs

blp = Blueprint("join", __name__, url_prefix="/api/v1/sessions",
                description="Joining live sessions, and who attended.")


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
    admitted = joining.join(classroom(), caller(), session_id)
    return jsonify({"join_url": admitted.url, "provider": admitted.provider,
                    "public_room": admitted.public_room,
                    "expires_at": utc_text(admitted.expires_at),
                    "attendance_id": admitted.attendance_id, "role": admitted.role})


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
    people = joining.attendees(classroom(), caller(), session_id)
    first = (args["page"] - 1) * args["per_page"]
    page = people[first:first + args["per_page"]]
    return page_response([_attendee(p, args.get("tz")) for p in page], args, len(people))
