"""`/offerings/{id}/schedule`: the form, its preview by zone, conflicts, and the fair-hours grid."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext

from ..conflicts import conflict_lines
from ..i18n import valid_zone
from ..identity import api, api_many, api_or_404, current_user, login_required
from ..schedule import (
    KINDS,
    api_body,
    default_instructors,
    faculty_choices,
    form_errors,
    preview,
)
from ..staff import cohort_zones, roster_institutions

bp = Blueprint("scheduling", __name__)


def _context(offering_id: str) -> dict:
    user = current_user()
    if not user.teaches:
        abort(403)
    offering = api_or_404(f"/api/v1/offerings/{offering_id}")
    # The roster (cohort zones) and the course (its faculty, for the picker), at once.
    roster, course = api_many([f"/api/v1/offerings/{offering_id}/roster",
                               f"/api/v1/courses/{offering.body.get('course_id', '')}"])
    cohort = roster.body if roster.ok and isinstance(roster.body, dict) else {}
    zones = cohort_zones(cohort, roster_institutions(cohort))
    mine = valid_zone(user.timezone) or offering.body.get("timezone") or "UTC"
    faculty = course.body.get("faculty", []) if course.ok and isinstance(course.body, dict) \
        else []
    return {"offering": offering.body, "my_zone": mine, "cohort_zones": zones,
            "kinds": KINDS, "suggestions": None, "conflicts": [], "errors": {},
            "occurrences": None, "detail": "", "faculty": faculty_choices(faculty, user.sub)}


def _defaults(ctx: dict) -> dict:
    args = request.args
    return {"kind": args.get("kind", "lecture"), "title": args.get("title", ""),
            "start": args.get("start", ""), "timezone": valid_zone(args.get("timezone"))
            or ctx["my_zone"], "duration_minutes": args.get("duration_minutes", "60"),
            "repeat": args.get("repeat", "none"), "count": args.get("count", "1"),
            "instructors": args.getlist("instructors") or default_instructors(ctx["faculty"])}


def _zones(ctx: dict, form: dict) -> list[str]:
    return list(dict.fromkeys([form["timezone"], ctx["my_zone"], *ctx["cohort_zones"]]))


def _suggest(offering_id: str) -> dict | None:
    if not request.args.get("find"):
        return None
    start = request.args.get("from", "")
    start = start if _is_date(start) else date.today().isoformat()
    end = request.args.get("to", "")
    end = end if _is_date(end) else (date.fromisoformat(start) + timedelta(days=6)).isoformat()
    duration = request.args.get("duration_minutes", "60")
    body = {"duration_minutes": int(duration) if duration.isdigit() else 60,
            "from": start, "to": end,
            "earliest_local": request.args.get("earliest_local") or "08:00",
            "latest_local": request.args.get("latest_local") or "21:00"}
    answer = api("POST", f"/api/v1/offerings/{offering_id}/slot-suggestions", json=body)
    return {"ok": answer.ok, "body": answer.body, "errors": answer.errors, "asked": body}


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


@bp.get("/offerings/<offering_id>/schedule")
@login_required
def form(offering_id: str):
    """The empty (or pre-filled) form; `find=1` adds the fair-hours grid."""
    ctx = _context(offering_id)
    ctx["suggestions"] = _suggest(offering_id)
    return render_template("schedule.html", form=_defaults(ctx), **ctx)


@bp.post("/offerings/<offering_id>/schedule")
@login_required
def submit(offering_id: str):
    """`action=preview` shows every occurrence by zone; `action=save` creates the series."""
    ctx = _context(offering_id)
    form = {k: request.form.get(k, "") for k in (
        "kind", "title", "start", "timezone", "duration_minutes", "repeat", "count")}
    form["timezone"] = valid_zone(form["timezone"]) or ctx["my_zone"]
    form["instructors"] = request.form.getlist("instructors")
    errors = form_errors(form)
    if errors:
        return render_template("schedule.html", form=form, **{**ctx, "errors": errors}), 422
    count = int(form["count"] or 1) if form["repeat"] in ("daily", "weekly") else 1
    ctx["occurrences"] = preview(form["start"], form["timezone"], form["repeat"], count,
                                 _zones(ctx, form))
    if request.form.get("action") != "save":
        return render_template("schedule.html", form=form, **ctx)
    answer = api("POST", f"/api/v1/offerings/{offering_id}/sessions",
                 json=api_body(form))
    if answer.ok:
        made = len(answer.body.get("sessions", []))
        flash(ngettext("%(num)d session scheduled.", "%(num)d sessions scheduled.", made),
              "success")
        return redirect(url_for("teach.roster", offering_id=offering_id))
    ctx.update(errors=answer.errors, detail=answer.detail,
               conflicts=conflict_lines(answer.body.get("conflicts", []))
               if answer.status == 409 else [])
    return render_template("schedule.html", form=form, **ctx), answer.status
