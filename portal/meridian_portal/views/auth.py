"""Signing in and out (whichever way is configured) and the language switcher."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..i18n import supported
from ..identity import safe_next

bp = Blueprint("auth", __name__)


@bp.get("/sign-in")
def sign_in():
    """Send the user to the configured sign-in: OpenID Connect, else dev auth."""
    settings = current_app.config["MERIDIAN_PORTAL"]
    wanted = safe_next(request.args.get("next"))
    if settings.oidc_enabled:
        return redirect(url_for("oidc.login", next=wanted))
    if settings.dev_auth:
        return redirect(url_for("devauth.form", next=wanted))
    return render_template("error.html", status=503, title=_("Sign-in is not configured"),
                           message=_("Set MERIDIAN_OIDC_ISSUER and MERIDIAN_OIDC_CLIENT_ID.")), 503


@bp.post("/sign-out")
def sign_out():
    """End the portal session (and the issuer's, when it offers an end-session endpoint)."""
    end_session = current_app.extensions.get("meridian.end_session")
    target = end_session(session.get("id_token", "")) if end_session else None
    locale = session.get("locale_choice")
    session.clear()
    if locale:
        session["locale_choice"] = locale
    return redirect(target or url_for("home.index"))


@bp.post("/language")
def language():
    """Remember the chosen language for this browser and go back where the user was."""
    chosen = supported(request.form.get("locale"))
    if chosen:
        session["locale_choice"] = chosen
    return redirect(safe_next(request.form.get("next")))
