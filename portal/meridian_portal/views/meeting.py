"""Course faculty choose where an offering's live sessions take place (its meeting provider)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from ..identity import api, current_user, login_required

bp = Blueprint("meeting", __name__)
# The form's choices as the API's body: a public Jitsi room only by its own, explicit choice.
CHOICES = {"jitsi": {"provider": "jitsi"},
           "jitsi_public": {"provider": "jitsi", "public_room": True},
           "bbb": {"provider": "bbb"},
           "external": {"provider": "external"}}


def choice_of(provider: dict) -> str:
    """The form's choice for the API's provider resource ("" when it is the default)."""
    if not isinstance(provider, dict) or not provider.get("configured"):
        return ""
    if provider.get("provider") == "jitsi" and provider.get("public_room"):
        return "jitsi_public"
    return str(provider.get("provider") or "")


def provider_body(form) -> dict | None:
    """PUT /offerings/{id}/meeting-provider from the form (None for an unknown choice)."""
    body = CHOICES.get(form.get("provider", ""))
    if body is None:
        return None
    if body["provider"] == "external":
        return {**body, "url": (form.get("url") or "").strip()}
    return dict(body)


@bp.post("/offerings/<offering_id>/meeting-provider")
@login_required
def choose(offering_id: str):
    """Save the faculty's choice and go back to the offering's page."""
    if not current_user().teaches:
        abort(403)
    body = provider_body(request.form)
    if body is None or body.get("url") == "":
        flash(_("Choose where the sessions take place.") if body is None else
              _("Give the meeting link (https://…) of the other platform."), "error")
        return redirect(url_for("teach.roster", offering_id=offering_id) + "#meeting", 303)
    answer = api("PUT", f"/api/v1/offerings/{offering_id}/meeting-provider", json=body)
    if answer.status == 403:
        abort(403)
    if answer.ok:
        flash(_("The meeting provider has been saved."), "success")
    else:
        problems = [m for msgs in answer.errors.values() for m in msgs]
        flash(" ".join([answer.detail or _("The meeting provider could not be saved."),
                        *problems]), "error")
    return redirect(url_for("teach.roster", offering_id=offering_id) + "#meeting", 303)
