"""The timetable: every session of the user's offerings in a date range, in two zones."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, render_template, request
from flask_babel import get_timezone

from ..identity import api, login_required
from ..sessions_view import decorate

bp = Blueprint("timetable", __name__)
DEFAULT_DAYS = 28
MAX_DAYS = 366


def date_range(raw_from: str | None, raw_to: str | None, today: date) -> tuple[date, date, bool]:
    """The asked range (default: the coming four weeks) and whether the input was usable."""
    try:
        start = date.fromisoformat(raw_from) if raw_from else today
        end = date.fromisoformat(raw_to) if raw_to else start + timedelta(days=DEFAULT_DAYS)
    except ValueError:
        return today, today + timedelta(days=DEFAULT_DAYS), False
    if end < start or (end - start).days > MAX_DAYS:
        return today, today + timedelta(days=DEFAULT_DAYS), False
    return start, end, True


@bp.get("/timetable")
@login_required
def timetable():
    """Sessions from `from` to `to` (inclusive dates in the viewer's zone)."""
    zone = str(get_timezone())
    today = datetime.now(get_timezone()).date()
    start, end, valid = date_range(request.args.get("from"), request.args.get("to"), today)
    items: list[dict] = []
    page = 1
    while True:
        answer = api("GET", "/api/v1/me/timetable", params={
            "tz": zone, "from": start.isoformat(), "to": (end + timedelta(days=1)).isoformat(),
            "per_page": 100, "page": page})
        batch = answer.body.get("items", []) if answer.ok else []
        items += batch
        if len(batch) < 100 or page >= 10:
            break
        page += 1
    return render_template("timetable.html", sessions=decorate(items), start=start, end=end,
                           valid=valid), (200 if valid else 422)
