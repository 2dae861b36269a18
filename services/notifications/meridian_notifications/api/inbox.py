"""/api/v1/me/notifications: the caller's in-portal inbox, and marking notices read."""

from __future__ import annotations

from flask import jsonify
from flask_smorest import Blueprint

from meridian_common.web.auth import current_principal
from meridian_common.web.http import page_envelope

from .common import inbox
from .schemas import InboxArgs, InboxPage, NotificationOut
from .views import notice_view

blp = Blueprint("notification_inbox", __name__, url_prefix="/api/v1/me",
                description="The caller's in-portal notifications.")


@blp.route("/notifications")
@blp.arguments(InboxArgs, location="query")
@blp.response(200, InboxPage)
@blp.doc(security=[{"bearerAuth": []}])
def list_notifications(args):
    """The caller's notices, newest first (`?unread=true`: unread only), with the number of
    unread notices for the portal's bell."""
    recipient = current_principal().user_id
    items, total, unread = inbox().page(recipient, args["unread"], args["page"],
                                        args["per_page"])
    body = page_envelope([notice_view(n) for n in items], args["page"], args["per_page"],
                         total)
    return jsonify({**body, "unread_count": unread})


@blp.route("/notifications/<notification_id>/read", methods=["POST"])
@blp.response(200, NotificationOut)
@blp.doc(security=[{"bearerAuth": []}])
def mark_read(notification_id: str):
    """Mark one of the caller's notices read (again: no change); anyone else's is 404."""
    return jsonify(notice_view(inbox().mark_read(current_principal().user_id,
                                                 notification_id)))
