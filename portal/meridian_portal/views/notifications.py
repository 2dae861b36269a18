"""`/notifications`: the in-portal inbox (newest first, mark read) and the bell's JSON count."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..bell import UNREAD_PATH, unread_count
from ..identity import api, login_required, safe_next
from ..inbox import notices

bp = Blueprint("notifications", __name__)
PER_PAGE = 20


def unavailable_page():
    """A polite page when the notifications service is missing or down (never a 500)."""
    return render_template("error.html", status=503, title=_("Notifications are unavailable"),
                           message=_("Your notifications cannot be shown right now. "
                                     "Please try again in a few minutes.")), 503


def unread_label(count: int) -> str:
    """The bell's accessible name."""
    return ngettext("Notifications: %(num)d unread", "Notifications: %(num)d unread", count)


@bp.get("/notifications")
@login_required
def inbox():
    """The user's notices, newest first; `unread=1` keeps the unread ones."""
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and int(page) > 0 else 1
    unread_only = request.args.get("unread") == "1"
    params = {"page": page, "per_page": PER_PAGE, **({"unread": "true"} if unread_only else {})}
    answer = api("GET", f"/api/v1/me/notifications?{urlencode(params)}")
    if not answer.ok:
        return unavailable_page()
    total = answer.body.get("total", 0) if isinstance(answer.body, dict) else 0
    return render_template("notifications.html", notices=notices(answer.body), page=page,
                           per_page=PER_PAGE, total=total if isinstance(total, int) else 0,
                           unread_only=unread_only)


@bp.post("/notifications/<notification_id>/read")
@login_required
def mark_read(notification_id: str):
    """Mark one notice read and go back to the inbox page it was on."""
    answer = api("POST", f"/api/v1/me/notifications/{notification_id}/read", json={})
    if answer.ok:
        flash(_("Marked as read."), "success")
    else:
        flash(_("This notification could not be marked as read."), "error")
    return redirect(safe_next(request.form.get("next")) if request.form.get("next")
                    else url_for("notifications.inbox"))


@bp.get("/notifications/unread.json")
@login_required
def unread():
    """The bell's count for the page's script (`{"unread": n, "label": ...}`)."""
    answer = api("GET", UNREAD_PATH)
    count = unread_count(answer.body) if answer.ok else None
    if count is None:
        return jsonify({"unread": None}), 503
    return jsonify({"unread": count, "label": unread_label(count)})
