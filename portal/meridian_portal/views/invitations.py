"""Invitations to teach: the invitee lists them and accepts or declines each."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..identity import api, login_required
from ..invitations_nav import forget

bp = Blueprint("invitations", __name__)


@bp.get("/invitations")
@login_required
def index():
    """The signed-in user's open invitations to a course's faculty."""
    answer = api("GET", "/api/v1/me/faculty-invitations", params={"per_page": 100})
    items = answer.body.get("items", []) if answer.ok and isinstance(answer.body, dict) else []
    return render_template("invitations.html", invitations=items, failed=not answer.ok)


def _answer(invitation_id: str, verb: str):
    answer = api("POST", f"/api/v1/faculty-invitations/{invitation_id}/{verb}", json={})
    if answer.status == 404:
        abort(404)
    forget()
    title = answer.body.get("course_title", "") if isinstance(answer.body, dict) else ""
    if answer.ok and verb == "accept":
        flash(_("You now teach %(course)s.", course=title), "success")
    elif answer.ok:
        flash(_("You declined to teach %(course)s.", course=title), "success")
    else:
        flash(answer.detail or _("The invitation could not be answered."), "error")
    return redirect(url_for("invitations.index"), 303)


@bp.post("/invitations/<invitation_id>/accept")
@login_required
def accept(invitation_id: str):
    """Accept: join the course's faculty."""
    return _answer(invitation_id, "accept")


@bp.post("/invitations/<invitation_id>/decline")
@login_required
def decline(invitation_id: str):
    """Decline: leave the course's team."""
    return _answer(invitation_id, "decline")
