"""Instructors and TAs: their offerings, roster with waitlist, sessions, attendance and CSV."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _

from ..conflicts import conflict_lines
from ..identity import api, api_or_404, current_user, login_required
from ..sessions_view import decorate
from ..staff import my_courses, offerings_of
from .meeting import choice_of

bp = Blueprint("teach", __name__)


def _require_staff():
    if not current_user().teaches:
        abort(403)


@bp.get("/teaching")
@login_required
def offerings():
    """The courses the user teaches and their offerings."""
    _require_staff()
    courses = [{**c, "offerings": offerings_of(c["id"])} for c in my_courses(current_user())]
    return render_template("teaching.html", courses=courses)


@bp.get("/offerings/<offering_id>/roster")
@login_required
def roster(offering_id: str):
    """Confirmed, waitlisted (in order) and applied students, and the offering's sessions."""
    _require_staff()
    offering = api_or_404(f"/api/v1/offerings/{offering_id}")
    roster = api("GET", f"/api/v1/offerings/{offering_id}/roster")
    if roster.status == 403:
        abort(403)
    sessions = api("GET", f"/api/v1/offerings/{offering_id}/sessions",
                   params={"tz": str(get_timezone()), "per_page": 100})
    provider = api("GET", f"/api/v1/offerings/{offering_id}/meeting-provider")
    return render_template("roster.html", offering=offering.body, roster=roster.body,
                           sessions=decorate(sessions.body.get("items", []))
                           if sessions.ok else [],
                           provider=provider.body if provider.ok else None,
                           provider_choice=choice_of(provider.body) if provider.ok else "")


@bp.get("/sessions/<session_id>/attendance")
@login_required
def attendance(session_id: str):
    """Who joined the session, when and for how long; `?format=csv` downloads it."""
    _require_staff()
    meeting = api_or_404(f"/api/v1/sessions/{session_id}", params={"tz": str(get_timezone())})
    answer = api("GET", f"/api/v1/sessions/{session_id}/attendance",
                 params={"tz": str(get_timezone()), "per_page": 100})
    if answer.status == 403:
        abort(403)
    rows = answer.body.get("items", [])
    if request.args.get("format") == "csv":
        return Response(attendance_csv(rows), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="attendance-{session_id}.csv"'})
    return render_template("attendance.html", meeting=decorate([meeting.body])[0], rows=rows)


def attendance_csv(rows: list[dict]) -> str:
    """One line per attendee: user, role, joins, first joined, last left, seconds present."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["user_id", "role", "joins", "first_joined_at", "last_left_at",
                     "duration_seconds"])
    for row in rows:
        writer.writerow([row.get("user_id"), row.get("role"), row.get("joins"),
                         row.get("first_joined_at"), row.get("last_left_at") or "",
                         "" if row.get("duration_seconds") is None else row["duration_seconds"]])
    return out.getvalue()


@bp.get("/sessions/<session_id>/edit")
@login_required
def edit(session_id: str):
    """The reschedule and cancel forms."""
    _require_staff()
    meeting = api_or_404(f"/api/v1/sessions/{session_id}")
    return render_template("session_edit.html", meeting=meeting.body, errors={}, conflicts=[])


@bp.post("/sessions/<session_id>/edit")
@login_required
def reschedule(session_id: str):
    """PATCH the session (this one, or this and following); conflicts shown by the form."""
    _require_staff()
    scope = "following" if request.form.get("scope") == "following" else "this"
    body = {"start": request.form.get("start", ""), "timezone": request.form.get("timezone", ""),
            "duration_minutes": int(request.form["duration_minutes"])
            if request.form.get("duration_minutes", "").isdigit() else request.form.get(
                "duration_minutes")}
    answer = api("PATCH", f"/api/v1/sessions/{session_id}?scope={scope}", json=body)
    meeting = api("GET", f"/api/v1/sessions/{session_id}")
    if answer.ok:
        flash(_("The session has been rescheduled."), "success")
        return redirect(url_for("teach.roster", offering_id=meeting.body["offering_id"]))
    conflicts = conflict_lines(answer.body.get("conflicts", [])) if answer.status == 409 else []
    return render_template("session_edit.html", meeting={**meeting.body, **request.form},
                           errors=answer.errors, conflicts=conflicts,
                           detail=answer.detail), answer.status


@bp.post("/sessions/<session_id>/cancel")
@login_required
def cancel(session_id: str):
    """Cancel the session (or this and following)."""
    _require_staff()
    scope = "following" if request.form.get("scope") == "following" else "this"
    meeting = api("GET", f"/api/v1/sessions/{session_id}")
    answer = api("DELETE", f"/api/v1/sessions/{session_id}?scope={scope}")
    flash(_("The session has been cancelled.") if answer.ok else
          _("The session could not be cancelled."), "success" if answer.ok else "error")
    if not meeting.ok:
        return redirect(url_for("teach.offerings"))
    return redirect(url_for("teach.roster", offering_id=meeting.body["offering_id"]))
