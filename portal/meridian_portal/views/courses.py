"""Catalog search, the course page with its offerings, enrolling and withdrawing."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _

from ..formatting import eligibility, window_state
from ..identity import api, api_many, current_user, login_required, safe_next

bp = Blueprint("courses", __name__)
FILTERS = ("q", "language", "discipline", "provider", "alliance", "level")
PER_PAGE = 20


def enrollment_refusal(answer) -> str:
    """A refused enrollment explained in the page's language."""
    if answer.status == 403:
        return _("You are not eligible for this offering.")
    if answer.status == 409:
        return _("You are already enrolled in this offering.")
    if answer.status == 422:
        return _("Enrollment is not open for this offering right now.")
    return _("The enrollment could not be made.")


def _institutions() -> list[dict]:
    answer = api("GET", "/api/v1/institutions", params={"per_page": 100})
    return answer.body.get("items", []) if answer.ok else []


@bp.get("/courses")
def search():
    """Search the published catalog; `open=1` keeps courses with an offering open now."""
    params = {k: request.args[k].strip() for k in FILTERS if request.args.get(k, "").strip()}
    page = request.args.get("page", "1")
    params.update(page=page if page.isdigit() else "1", per_page=PER_PAGE)
    answer = api("GET", "/api/v1/courses", params=params)
    if answer.status == 422:
        return render_template("courses.html", courses=[], total=0, errors=answer.errors,
                               args=request.args, institutions=_institutions(), page=1), 422
    courses = answer.body.get("items", [])
    open_only = request.args.get("open") == "1"
    if open_only:
        courses = [c for c in courses if _has_open_offering(c["id"])]
    return render_template("courses.html", courses=courses, total=answer.body.get("total", 0),
                           errors={}, args=request.args, institutions=_institutions(),
                           page=int(params["page"]), per_page=PER_PAGE, open_only=open_only)


def _has_open_offering(course_id: str) -> bool:
    answer = api("GET", f"/api/v1/courses/{course_id}/offerings", params={"per_page": 100})
    return any(o.get("status") == "open" and window_state(
        o["enrollment_opens_at"], o["enrollment_closes_at"]) == "open"
        for o in answer.body.get("items", []))


def _my_enrollments() -> dict[str, dict]:
    if current_user() is None or "student" not in current_user().roles:
        return {}
    answer = api("GET", "/api/v1/me/enrollments", params={"per_page": 100})
    active = [e for e in answer.body.get("items", []) if e.get("status") != "withdrawn"]
    return {e["offering_id"]: e for e in active}


def _my_institution() -> dict | None:
    user = current_user()
    if user is None or not user.institution_id:
        return None
    answer = api("GET", f"/api/v1/institutions/{user.institution_id}")
    return answer.body if answer.ok else None


@bp.get("/courses/<course_id>")
def course(course_id: str):
    """The course with every offering: dates, window, seats, eligibility and the viewer's place."""
    answer = api("GET", f"/api/v1/courses/{course_id}")
    if answer.status in (403, 404):
        abort(404)
    mine, institution = _my_enrollments(), _my_institution()
    offerings = []
    summaries = answer.body.get("offerings", [])
    details = api_many([f"/api/v1/offerings/{s['id']}" for s in summaries])
    for detail in details:
        if not detail.ok:
            continue
        offering = detail.body
        allowed, why, names = eligibility(offering.get("eligibility"), institution)
        offerings.append({**offering, "window": window_state(
            offering["enrollment_opens_at"], offering["enrollment_closes_at"]),
            "eligible": allowed, "why": why, "why_names": names,
            "mine": mine.get(offering["id"])})
    return render_template("course.html", course=answer.body, offerings=offerings)


@bp.post("/offerings/<offering_id>/enroll")
@login_required
def enroll(offering_id: str):
    """Enroll the signed-in student (one Idempotency-Key per form, so a double click is one)."""
    key = request.form.get("idempotency_key") or str(uuid.uuid4())
    answer = api("POST", f"/api/v1/offerings/{offering_id}/enrollments", json={},
                 headers={"Idempotency-Key": key})
    if answer.ok:
        status = answer.body.get("status")
        flash({"confirmed": _("You are enrolled."),
               "waitlisted": _("The offering is full: you are on the waitlist."),
               "applied": _("Your application is in: places are drawn by lottery after the "
                            "enrollment window closes.")}.get(status, _("Done.")), "success")
    else:
        flash(enrollment_refusal(answer), "error")
    return redirect(safe_next(request.form.get("back")))


@bp.post("/enrollments/<enrollment_id>/withdraw")
@login_required
def withdraw(enrollment_id: str):
    """Withdraw; the head of the waitlist is promoted by the API."""
    answer = api("DELETE", f"/api/v1/enrollments/{enrollment_id}")
    flash(_("You have withdrawn.") if answer.ok else _("The withdrawal failed."),
          "success" if answer.ok else "error")
    return redirect(safe_next(request.form.get("back")))


@bp.get("/enrollments/<enrollment_id>/status.json")
@login_required
def enrollment_status(enrollment_id: str):
    """The live waitlist position for the page's small poller."""
    answer = api("GET", f"/api/v1/enrollments/{enrollment_id}")
    if not answer.ok:
        abort(404)
    return jsonify({"status": answer.body.get("status"),
                    "waitlist_position": answer.body.get("waitlist_position")})
