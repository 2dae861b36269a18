"""Calendar feeds: a secret, revocable iCalendar URL per user, readable without a token."""

from __future__ import annotations

import hashlib

from flask import Response, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from meridian_common.web.errors import ApiError

from .. import feeds
from ..schemas.access import FeedOut, FeedStatusOut
from .common import caller, classroom_config, utc_text

blp = Blueprint("calendar", __name__, url_prefix="/api/v1",
                description="iCalendar (RFC 5545) feeds of a user's timetable.")


@blp.route("/me/calendar-feed")
class MyCalendarFeed(MethodView):
    @blp.response(200, FeedStatusOut)
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self):
        """Whether the caller has a feed, and since when (the URL itself is never shown again)."""
        created = feeds.status(caller().user_id)
        return jsonify({"active": created is not None, "created_at": utc_text(created)})

    @blp.response(201, FeedOut)
    @blp.doc(security=[{"bearerAuth": []}])
    def post(self):
        """A new secret feed URL; any earlier one stops working. Keep it like a password."""
        token, created = feeds.issue(caller().user_id)
        response = jsonify({"url": f"{classroom_config().public_url}/api/v1/calendar/"
                                   f"{token}.ics", "created_at": utc_text(created)})
        response.status_code = 201
        response.headers["Cache-Control"] = "no-store"
        return response

    @blp.response(204)
    @blp.doc(security=[{"bearerAuth": []}])
    def delete(self):
        """Revoke the caller's feed URL."""
        feeds.revoke(caller().user_id)
        return Response(status=204)


@blp.route("/calendar/<token>.ics")
@blp.response(200, description="text/calendar")
def calendar(token):
    """The feed: one VEVENT per session (stable UID, SEQUENCE, STATUS:CANCELLED), in the zone
    each was scheduled in, with VTIMEZONE definitions. The secret URL is the credential."""
    user_id = feeds.holder(token)
    if user_id is None:
        raise ApiError(404, "No calendar feed at this address (it may have been revoked).",
                       code="not_found")
    body = feeds.calendar_for(user_id)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "private, max-age=300",
               "Content-Disposition": 'inline; filename="meridian.ics"',
               "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
    if etag in request.headers.get("If-None-Match", ""):
        return Response(status=304, headers=headers)
    return Response(body, headers=headers, content_type="text/calendar; charset=utf-8")
