"""/api/v1/unsubscribe/{token}: RFC 8058 one-click unsubscribe from notification e-mails."""

from __future__ import annotations

from flask import jsonify
from flask_smorest import Blueprint

from .common import preferences
from .schemas import UnsubscribeOut

blp = Blueprint("unsubscribe", __name__, url_prefix="/api/v1",
                description="One-click unsubscribe links carried by every notification e-mail.")


@blp.route("/unsubscribe/<token>")
@blp.response(200, UnsubscribeOut)
def preview_unsubscribe(token: str):
    """What the link would do, changing nothing (mail scanners follow GET links); 404 for a
    token Meridian did not issue."""
    service = preferences()
    current = service.of(service.holder(token))
    return jsonify({"email_notifications": current.channels.email, "changed": False,
                    "detail": "POST to this address to stop notification e-mails; notices "
                              "stay in the portal."})


@blp.route("/unsubscribe/<token>", methods=["POST"])
@blp.response(200, UnsubscribeOut)
def unsubscribe(token: str):
    """Turn the link holder's e-mail notifications off (RFC 8058 one-click: the body, if
    any, is `List-Unsubscribe=One-Click`); repeating it changes nothing; 404 for a bad token."""
    service = preferences()
    before = service.of(service.holder(token)).channels.email
    service.unsubscribe(token)
    return jsonify({"email_notifications": False, "changed": before,
                    "detail": "Notification e-mails are off; turn them on again in the "
                              "portal's settings."})
