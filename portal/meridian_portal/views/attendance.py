"""My attendance: every live session the signed-in user joined, newest first."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_timezone

from ..identity import api, login_required

bp = Blueprint("my_attendance", __name__)
PER_PAGE = 50


def _page(raw: str | None) -> int:
    # A hand-edited page number falls back to the first page rather than an error.
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) <= 100_000 else 1


@bp.get("/attendance")
@login_required
def attendance():
    """One page of the user's joins with the session, times in the viewer's zone."""
    page = _page(request.args.get("page"))
    answer = api("GET", "/api/v1/me/attendance", params={
        "tz": str(get_timezone()), "page": page, "per_page": PER_PAGE})
    body = answer.body if answer.ok and isinstance(answer.body, dict) else {}
    visits, total = body.get("items", []), body.get("total", 0)
    return render_template("my_attendance.html", visits=visits, total=total, page=page,
                           has_next=page * PER_PAGE < total)
