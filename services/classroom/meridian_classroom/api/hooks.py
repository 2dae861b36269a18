"""POST /hooks/bbb: BigBlueButton webhooks (bbb-webhooks), checksum-verified.

Not part of the public `/api/v1` surface: the BigBlueButton server calls the classroom
service directly (or through an ingress rule), with no bearer token; the checksum over the
callback URL, the raw form body and the shared secret is the credential.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from flask import jsonify, request
from flask_smorest import Blueprint

from meridian_common.web.errors import ApiError

from ..application import hooks
from ..application.joining import record_departures
from ..domain.bbb import hook_time, parse_webhook_events, verify_webhook
from .common import classroom, classroom_config

blp = Blueprint("hooks", __name__, url_prefix="/hooks",
                description="Callbacks from meeting providers (internal).")
_CHECKSUM_PARAM = re.compile(r"([?&])checksum=[^&]*(&?)")


def callback_url(url: str) -> str:
    """The URL the hook was registered with: ours without the appended checksum parameter."""
    def _drop(match: re.Match) -> str:
        return match.group(1) if match.group(2) else ""
    return _CHECKSUM_PARAM.sub(_drop, url).rstrip("?&")


@blp.route("/bbb", methods=["POST"])
@blp.response(200, description="How many events arrived and how many departures they closed.")
def bbb_webhook():
    """Departures (`user-left`, `meeting-ended`) become attendance durations."""
    config = classroom_config()
    if not config.bbb_secret:
        raise ApiError(404, "BigBlueButton is not configured on this deployment.",
                       code="not_found")
    body = request.get_data(cache=True, as_text=True)
    registered = config.bbb_webhook_url or callback_url(request.url)
    if not verify_webhook(registered, body, request.args.get("checksum"), config.bbb_secret):
        raise ApiError(401, "The webhook checksum does not match.", code="invalid_checksum")
    form = parse_qs(body, keep_blank_values=True)
    field = form.get("event", [None])[0]
    try:
        events = parse_webhook_events(field) if field is not None else []
    except (ValueError, TypeError, RecursionError) as exc:
        raise ApiError(422, "The webhook's event field is not a JSON array.",
                       errors={"event": ["Must be a JSON array of events."]}) from exc
    admitted = hooks.admit(classroom(), request.args["checksum"],
                           hook_time(form.get("timestamp", [None])[0]))
    if admitted == hooks.STALE:
        raise ApiError(401, "The webhook's timestamp is missing or outside the accepted "
                       "window; a signed delivery is accepted only while fresh.",
                       code="stale_webhook")
    if admitted == hooks.REPLAYED:
        return jsonify({"received": len(events), "departures_recorded": 0, "replayed": True})
    closed = record_departures(classroom(), events)
    return jsonify({"received": len(events), "departures_recorded": closed, "replayed": False})
