"""Institution admins and admins: courses, offerings, bulk enrollment, lottery draws."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import bulk_jobs
from ..admin_forms import course_body, csv_rows, offering_body
from ..identity import api, api_many, api_or_404, current_user, login_required
from ..staff import institutions_by_id, my_courses, offerings_of

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _require_admin():
    if not current_user().is_admin:
        abort(403)


@bp.get("/")
@login_required
def index():
    """The courses the admin runs (drafts too) and their offerings."""
    _require_admin()
    courses = [{**c, "offerings": offerings_of(c["id"])}
               for c in my_courses(current_user(), include_drafts=True)]
    return render_template("admin.html", courses=courses)


def _providers() -> list[dict]:
    everything = institutions_by_id()
    user = current_user()
    if "admin" in user.roles:
        return sorted(everything.values(), key=lambda i: i["name"])
    return [everything[user.institution_id]] if user.institution_id in everything else []


@bp.route("/courses/new", methods=["GET", "POST"])
@login_required
def new_course():
    """Create a draft course."""
    _require_admin()
    providers = _providers()
    if request.method == "GET":
        return render_template("course_new.html", form={}, errors={}, providers=providers)
    provider = request.form.get("provider_institution_id") or current_user().institution_id
    answer = api("POST", "/api/v1/courses", json=course_body(request.form, provider))
    if answer.ok:
        flash(_("The course has been created as a draft."), "success")
        return redirect(url_for("admin.index"))
    errors = answer.errors or {"": [answer.detail]}
    return render_template("course_new.html", form=request.form, errors=errors,
                           providers=providers), answer.status


@bp.post("/courses/<course_id>/publish")
@login_required
def publish(course_id: str):
    """Publish a draft."""
    _require_admin()
    answer = api("POST", f"/api/v1/courses/{course_id}/publish")
    flash(_("The course is published.") if answer.ok else
          _("The course could not be published."), "success" if answer.ok else "error")
    return redirect(url_for("admin.index"))


def _pickers() -> dict:
    institutions = sorted(institutions_by_id().values(), key=lambda i: i["name"])
    alliances = sorted({a for i in institutions for a in i.get("alliances", [])})
    countries = sorted({i["country"] for i in institutions})
    return {"institutions": institutions, "alliances": alliances, "countries": countries}


@bp.route("/courses/<course_id>/offerings/new", methods=["GET", "POST"])
@login_required
def new_offering(course_id: str):
    """Open an offering: capacity, window, eligibility pickers, selection."""
    _require_admin()
    course = api_or_404(f"/api/v1/courses/{course_id}")
    pickers = _pickers()
    if request.method == "GET":
        return render_template("offering_new.html", course=course.body, form={}, errors={},
                               **pickers)
    answer = api("POST", f"/api/v1/courses/{course_id}/offerings",
                 json=offering_body(request.form))
    if answer.ok:
        flash(_("The offering is open."), "success")
        return redirect(url_for("admin.index"))
    return render_template("offering_new.html", course=course.body, form=request.form,
                           errors=answer.errors or {"": [answer.detail]},
                           **pickers), answer.status


@bp.route("/offerings/<offering_id>/bulk", methods=["GET", "POST"])
@login_required
def bulk(offering_id: str):
    """Upload a CSV of student ids; the API runs it as a job, shown at its own page."""
    _require_admin()
    offering = api_or_404(f"/api/v1/offerings/{offering_id}")
    if request.method == "GET":
        return render_template("bulk.html", offering=offering.body, rows=None, error=None)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("bulk.html", offering=offering.body, rows=None,
                               error=_("Choose a CSV file.")), 422
    good, bad = csv_rows(upload.read())
    if not good:
        return render_template("bulk.html", offering=offering.body,
                               rows=bulk_jobs.refused_rows(bad), error=None)
    body = {"student_ids": [v for _n, v in good]}
    if current_user().institution_id:
        body["institution_id"] = current_user().institution_id
    answer = api("POST", f"/api/v1/offerings/{offering_id}/enrollments/bulk", json=body)
    job_id = bulk_jobs.job_id_of(answer.header("Location"), answer.body) if answer.ok else ""
    if not job_id:
        return render_template("bulk.html", offering=offering.body, rows=None,
                               error=answer.detail or _("The upload was refused.")), 422
    bulk_jobs.remember(job_id, good, bad)
    return redirect(url_for("admin.bulk_job", offering_id=offering_id, job_id=job_id), 303)


@bp.get("/offerings/<offering_id>/bulk/jobs/<job_id>")
@login_required
def bulk_job(offering_id: str, job_id: str):
    """A bulk enrollment job: its progress and, as students are processed, one row each."""
    _require_admin()
    offering, job = api_many([f"/api/v1/offerings/{offering_id}",
                              f"/api/v1/enrollment-jobs/{job_id}"])
    if not offering.ok or not job.ok or not isinstance(job.body, dict) \
            or job.body.get("offering_id", offering_id) != offering_id:
        abort(404 if job.status != 403 else 403)
    return render_template("bulk_job.html", offering=offering.body, job_id=job_id,
                           progress=bulk_jobs.progress(job.body),
                           rows=bulk_jobs.result_rows(job.body, bulk_jobs.upload_of(job_id)))


@bp.route("/offerings/<offering_id>/draw", methods=["GET", "POST"])
@login_required
def draw(offering_id: str):
    """Run the lottery (seed optional) and show the seed and how to re-run it."""
    _require_admin()
    offering = api_or_404(f"/api/v1/offerings/{offering_id}")
    result, error = None, None
    if request.method == "POST":
        seed = (request.form.get("seed") or "").strip()
        answer = api("POST", f"/api/v1/offerings/{offering_id}/draw",
                     json={"seed": seed} if seed else {})
        result, error = (answer.body, None) if answer.ok else (None, answer.detail)
    roster = api("GET", f"/api/v1/offerings/{offering_id}/roster")
    return render_template("draw.html", offering=offering.body, result=result, error=error,
                           roster=roster.body if roster.ok else {})
