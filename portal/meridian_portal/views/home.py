"""Home: the next sessions with their Join buttons, and joining a session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _

from ..identity import api, current_user, login_required, safe_next
from ..sessions_view import decorate

bp = Blueprint("home", __name__)
HOME_DAYS = 14


def join_refusal(code: str) -> str:
    """The message for a refused join, in the page's language."""
    return {
        "too_early": _("This session has not started yet: joining opens 15 minutes before."),
        "ended": _("This session has ended."),
        "cancelled": _("This session has been cancelled."),
        "meeting_not_configured": _("This session has no meeting room yet: its teachers have "
                                    "not chosen a meeting provider. Please ask them."),
    }.get(code, _("You cannot join this session."))


@bp.get("/")
def index():
    """Signed out: a welcome; signed in: the next sessions."""
    user = current_user()
    if user is None:
        return render_template("welcome.html")
    now = datetime.now(UTC)
    answer = api("GET", "/api/v1/me/timetable", params={
        "tz": str(get_timezone()), "from": (now - timedelta(hours=3)).isoformat(),
        "to": (now + timedelta(days=HOME_DAYS)).isoformat(), "per_page": 100})
    items = answer.body.get("items", []) if answer.ok else []
    upcoming = [s for s in decorate(items, now) if s["join"] in ("open", "not_started")][:8]
    return render_template("home.html", sessions=upcoming, days=HOME_DAYS)


@bp.post("/sessions/<session_id>/join")
@login_required
def join(session_id: str):
    """Ask the API for the meeting link (it records attendance) and go there."""
    answer = api("POST", f"/api/v1/sessions/{session_id}/join", json={})
    back = safe_next(request.form.get("next")) or url_for("home.index")
    if answer.ok:
        return render_template("joining.html", join_url=answer.body["join_url"],
                               provider=answer.body.get("provider", ""),
                               public_room=bool(answer.body.get("public_room")))
    flash(join_refusal(answer.code) if answer.status == 409 else
          _("You cannot join this session."), "error")
    return redirect(back)
