"""`/settings`: notification channels, reminder offsets, digest, language and time zone."""

from __future__ import annotations

import logging

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from .. import preferences
from ..i18n import available_languages, bcp47, native_names, supported, valid_zone
from ..identity import api, login_required
from .notifications import unavailable_page

bp = Blueprint("account", __name__)
log = logging.getLogger(__name__)
PREFERENCES = "/api/v1/me/notification-preferences"


def _page(form: dict, prefs: dict, errors: dict, status: int = 200, etag: str = ""):
    languages = {bcp47(code): name for code, name in native_names().items()
                 if code in available_languages()}
    return render_template("settings.html", form=form, email=prefs.get("email"), etag=etag,
                           errors=errors, presets=preferences.PRESET_REMINDERS,
                           preference_languages=languages), status


def follow(prefs: dict) -> None:
    """Show the portal in the preferences' zone (and, after a save, language)."""
    zone = valid_zone(prefs.get("timezone"))
    if zone:
        session["zone_choice"] = zone


def after_sign_in() -> None:
    """Read the preferences once per sign-in: the service records the token's address, name
    and locale; the portal then follows the chosen zone. Failures never stop a sign-in."""
    try:
        answer = api("GET", PREFERENCES)
    except Exception as exc:
        log.info("notification preferences not recorded at sign-in: %r", exc)
        return
    if answer.ok and isinstance(answer.body, dict):
        follow(answer.body)


@bp.get("/settings")
@login_required
def form():
    """The user's current preferences in a form."""
    answer = api("GET", PREFERENCES)
    if not answer.ok or not isinstance(answer.body, dict):
        return unavailable_page()
    return _page(preferences.form_of(answer.body), answer.body, {},
                 etag=answer.header("ETag"))


@bp.post("/settings")
@login_required
def save():
    """Check, PUT, and show the API's 422 messages next to their fields."""
    form = preferences.form_from(request.form)
    errors = preferences.form_errors(form, valid_zone)
    prefs = {"email": request.form.get("known_email") or None}
    etag = request.form.get("etag", "")
    if errors:
        return _page(form, prefs, errors, 422, etag)
    # The version the form showed: a change made meanwhile (another tab) is not overwritten.
    answer = api("PUT", PREFERENCES, json=preferences.api_body(form),
                 headers={"If-Match": etag} if etag else None)
    if answer.status == 422:
        return _page(form, prefs, preferences.by_field(answer.errors) or {"": [answer.detail]},
                     422, etag)
    if answer.status == 412:
        current = api("GET", PREFERENCES)
        if not current.ok:
            return unavailable_page()
        stale = _("Your settings were changed elsewhere meanwhile. Here they are as they are "
                  "now: please make your changes again.")
        return _page(preferences.form_of(current.body), current.body, {"": [stale]}, 412,
                     current.header("ETag"))
    if not answer.ok:
        return unavailable_page()
    follow(answer.body if isinstance(answer.body, dict) else {})
    chosen = supported(form["locale"])
    if chosen:
        session["locale_choice"] = chosen
    flash(_("Your preferences have been saved."), "success")
    return redirect(url_for("account.form"))
