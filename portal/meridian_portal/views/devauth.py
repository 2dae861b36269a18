"""Dev sign-in (only with dev auth on): the demo's personas and a free form."""

from __future__ import annotations

import time

from flask import Blueprint, current_app, redirect, render_template, request
from flask_babel import gettext as _

from ..identity import api, safe_next, sign_in
from .account import after_sign_in

bp = Blueprint("devauth", __name__)

# The demo loader's people (tools/meridian_ops demo data): ids, names and mailboxes as it
# records them, so signing in as a persona keeps the address the demo's mails go to.
PERSONAS = (
    {"key": "student", "sub": "stu-changchun-001", "roles": "student",
     "institution": "Changchun School of Medicine", "timezone": "Asia/Shanghai",
     "locale": "zh-Hans", "name": "Li Wei", "email": "stu-changchun-001@demo.meridian.test"},
    {"key": "lead", "sub": "oxford-surg300-lead", "roles": "instructor",
     "institution": "Oxford School of Medicine", "timezone": "Europe/London", "locale": "en",
     "name": "Alice Hart", "email": "oxford-surg300-lead@demo.meridian.test"},
    {"key": "ta", "sub": "oxford-surg300-ta-1", "roles": "instructor",
     "institution": "Oxford School of Medicine", "timezone": "Europe/London", "locale": "en",
     "name": "Tom Reid", "email": "oxford-surg300-ta-1@demo.meridian.test"},
    {"key": "institution_admin", "sub": "admin-changchun", "roles": "institution_admin",
     "institution": "Changchun School of Medicine", "timezone": "Asia/Shanghai",
     "locale": "zh-Hans", "name": "Chen Jing", "email": "admin-changchun@demo.meridian.test"},
    {"key": "admin", "sub": "platform-admin", "roles": "admin", "institution": "",
     "timezone": "UTC", "locale": "en", "name": "Platform admin",
     "email": "platform-admin@demo.meridian.test"},
)
_CACHE: dict[str, tuple[float, dict[str, str]]] = {}


def _institution_ids() -> dict[str, str]:
    # The ids are opaque and made when the demo loads: look them up by name, for a minute.
    cached = _CACHE.get("ids")
    if cached and cached[0] > time.monotonic():
        return cached[1]
    ids: dict[str, str] = {}
    for country in ("CN", "GB"):
        answer = api("GET", "/api/v1/institutions", params={"country": country, "per_page": 100})
        for item in answer.body.get("items", []) if answer.ok else []:
            ids[item["name"]] = item["id"]
    _CACHE["ids"] = (time.monotonic() + 60, ids)
    return ids


def personas() -> list[dict]:
    """The personas with their institution's id filled in where the demo has it."""
    ids = _institution_ids()
    return [{**p, "institution_id": ids.get(p["institution"], "")} for p in PERSONAS]


def persona_labels() -> dict[str, str]:
    """What each persona is, in the page's language."""
    return {"student": _("A student in Changchun"), "lead": _("The Oxford lead instructor"),
            "ta": _("A teaching assistant"), "institution_admin": _("An institution admin"),
            "admin": _("A platform admin")}


@bp.get("/dev/sign-in")
def form():
    """The personas and a free form."""
    return render_template("dev_sign_in.html", personas=personas(), persona_names=persona_labels(),
                           next=safe_next(request.args.get("next")), error=None)


@bp.post("/dev/sign-in")
def submit():
    """Get a dev token for the posted identity, start the session and go to `next` or `/`."""
    sub = (request.form.get("sub") or "").strip()
    roles = [r.strip() for r in (request.form.get("roles") or "").split(",") if r.strip()]
    body = {"sub": sub, "roles": roles}
    for name in ("institution_id", "timezone", "email", "name", "locale"):
        value = (request.form.get(name) or "").strip()
        if value:
            body[name] = value
    client = current_app.extensions["meridian.api"]
    answer = client.call("POST", "/api/v1/auth/dev-token", json=body)
    if not answer.ok:
        return render_template("dev_sign_in.html", personas=personas(),
                               persona_names=persona_labels(),
                               next=safe_next(request.form.get("next")),
                               error=answer.errors or {"": [answer.detail]}), 422
    sign_in(answer.body["access_token"], int(answer.body.get("expires_in", 3600)),
            {**body, "roles": roles})
    after_sign_in()
    return redirect(safe_next(request.form.get("next")))
