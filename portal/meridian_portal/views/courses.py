"""Catalog search, the course page with its offerings, enrolling and withdrawing."""

from __future__ import annotations

import hashlib
import uuid
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _

from ..formatting import eligibility, window_state
from ..identity import api, api_many, api_or_404, current_user, login_required, safe_next
from ..pickers import INSTITUTIONS, picker_cache

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


@bp.get("/courses")
def search():
    """Search the published catalog; `open=1` keeps courses with an offering open now."""
    params = {k: request.args[k].strip() for k in FILTERS if request.args.get(k, "").strip()}
    page = request.args.get("page", "1")
    params.update(page=page if page.isdigit() else "1", per_page=PER_PAGE)
    cache = picker_cache()
    providers = cache.fresh(INSTITUTIONS)
    if providers is None:
        # The catalog search and the provider picker's institutions, at once.
        answer, institutions = api_many([f"/api/v1/courses?{urlencode(params)}", INSTITUTIONS])
        providers = cache.keep(INSTITUTIONS, institutions)
    else:
        answer = api("GET", f"/api/v1/courses?{urlencode(params)}")
    if answer.status == 422:
        return render_template("courses.html", courses=[], total=0, errors=answer.errors,
                               args=request.args, institutions=providers, page=1,
                               per_page=PER_PAGE), 422
    courses = answer.body.get("items", [])
    open_only = request.args.get("open") == "1"
    if open_only:
        offerings = api_many([f"/api/v1/courses/{c['id']}/offerings?per_page=100"
                              for c in courses])
        courses = [c for c, o in zip(courses, offerings, strict=True) if _has_open_offering(o)]
    return render_template("courses.html", courses=courses, total=answer.body.get("total", 0),
                           errors={}, args=request.args, institutions=providers,
                           page=int(params["page"]), per_page=PER_PAGE, open_only=open_only)


def _has_open_offering(answer) -> bool:
    return any(o.get("status") == "open" and window_state(
        o["enrollment_opens_at"], o["enrollment_closes_at"]) == "open"
        for o in (answer.body.get("items", []) if answer.ok else []))


@bp.get("/courses/<course_id>")
def course(course_id: str):
    """The course with every offering: dates, window, seats, eligibility and the viewer's place."""
    user = current_user()
    wants_enrollments = user is not None and "student" in user.roles
    wants_institution = user is not None and bool(user.institution_id)
    # The course and what the page must know about the viewer, at once.
    answer, *rest = api_many(
        [f"/api/v1/courses/{course_id}"]
        + (["/api/v1/me/enrollments?per_page=100"] if wants_enrollments else [])
        + ([f"/api/v1/institutions/{user.institution_id}"] if wants_institution else []))
    if answer.status in (403, 404):
        abort(404)
    about = iter(rest)
    enrolled = next(about) if wants_enrollments else None
    place = next(about) if wants_institution else None
    mine = {e["offering_id"]: _with_ticket(e)
            for e in (enrolled.body.get("items", []) if enrolled else [])
            if e.get("status") != "withdrawn"}
    institution = place.body if place is not None and place.ok else None
    offerings = []
    summaries = answer.body.get("offerings", [])
    for detail in api_many([f"/api/v1/offerings/{s['id']}" for s in summaries]):
        if not detail.ok:
            continue
        offering = detail.body
        allowed, why, names = eligibility(offering.get("eligibility"), institution)
        offerings.append({**offering, "window": window_state(
            offering["enrollment_opens_at"], offering["enrollment_closes_at"]),
            "eligible": allowed, "why": why, "why_names": names,
            "mine": mine.get(offering["id"])})
    return render_template("course.html", course=answer.body, offerings=offerings)


def _with_ticket(enrollment: dict) -> dict:
    """The enrollment with the student's own lottery ticket, once its offering is drawn."""
    draw = enrollment.get("draw")
    if not draw:
        return enrollment
    # The ticket of docs/lottery.md, step 2: the student can recompute it from the seed.
    text = f"{draw['seed']}:{enrollment['student_id']}"
    return {**enrollment, "draw": {**draw, "ticket_input": text,
                                   "ticket": hashlib.sha256(text.encode()).hexdigest()}}


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
    answer = api_or_404(f"/api/v1/enrollments/{enrollment_id}")
    return jsonify({"status": answer.body.get("status"),
                    "waitlist_position": answer.body.get("waitlist_position")})
