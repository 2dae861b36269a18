""""Add to calendar": the personal iCalendar feed as webcal:// and https links, and its reset."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..identity import api, login_required

bp = Blueprint("calendar", __name__)


def public(url: str, host_url: str) -> str:
    """The feed URL on the origin the browser uses (the portal may reach the API internally)."""
    path = url[url.find("/api/v1/calendar/"):] if "/api/v1/calendar/" in url else None
    return host_url.rstrip("/") + path if path else url


def webcal(url: str) -> str:
    """The feed's URL with the webcal scheme calendar apps subscribe to."""
    return "webcal://" + url.split("://", 1)[1] if "://" in url else url


@bp.get("/calendar")
@login_required
def feed():
    """The feed's state; the secret URL is shown only right after it was made."""
    status = api("GET", "/api/v1/me/calendar-feed").body
    url = session.pop("feed_url", None)
    return render_template("calendar.html", status=status, url=url,
                           webcal=webcal(url) if url else None)


@bp.post("/calendar")
@login_required
def reset():
    """Make a new feed URL (the old one stops working)."""
    answer = api("POST", "/api/v1/me/calendar-feed", json={})
    if answer.ok:
        session["feed_url"] = public(answer.body["url"], request.host_url)
        flash(_("Your calendar link is ready. Any older link no longer works."), "success")
    else:
        flash(_("The calendar link could not be made."), "error")
    return redirect(url_for("calendar.feed"))
