"""Who is signed in: the user's claims and token, kept in the server-side session."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, redirect, request, session, url_for

from .api import Answer

STAFF_ROLES = frozenset({"instructor", "institution_admin", "admin"})
ADMIN_ROLES = frozenset({"institution_admin", "admin"})


@dataclass(frozen=True)
class User:
    """The signed-in user as the portal needs to know them."""

    sub: str
    roles: tuple[str, ...]
    institution_id: str
    timezone: str
    locale: str
    name: str

    @property
    def is_admin(self) -> bool:
        """Institution admin or platform admin."""
        return bool(ADMIN_ROLES & set(self.roles))

    @property
    def teaches(self) -> bool:
        """Instructors and TAs (TAs carry the instructor role) and admins see teaching pages."""
        return bool(STAFF_ROLES & set(self.roles))


def claims_of(token: str) -> dict:
    """The JWT's payload, unverified: the gateway verifies every call; this is for display."""
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}


def sign_in(token: str, expires_in: int, claims: dict, refresh_token: str = "",
            id_token: str = "") -> None:
    """Start a fresh session for the holder of `token` (a new id: no session fixation)."""
    locale = session.get("locale_choice")
    session.clear()
    if locale:
        session["locale_choice"] = locale
    session.update(token=token, expires_at=time.time() + expires_in, refresh_token=refresh_token,
                   id_token=id_token, claims={k: claims.get(k) for k in (
                       "sub", "roles", "institution_id", "timezone", "locale", "name")})
    # Flask-Session issues a new id when the session is regenerated.
    regenerate = getattr(current_app.session_interface, "regenerate", None)
    if regenerate is not None:
        regenerate(session)


def current_user() -> User | None:
    """The signed-in user, or None when signed out or the token has expired."""
    claims = session.get("claims")
    if not claims or session.get("expires_at", 0) <= time.time():
        return None
    roles = claims.get("roles") or []
    return User(sub=str(claims.get("sub") or ""), roles=tuple(roles),
                institution_id=str(claims.get("institution_id") or ""),
                timezone=str(claims.get("timezone") or ""),
                locale=str(claims.get("locale") or ""), name=str(claims.get("name") or ""))


def token() -> str | None:
    """The signed-in user's access token (refreshed first when the issuer allows)."""
    refresher = current_app.extensions.get("meridian.refresh")
    if refresher is not None:
        refresher()
    return session.get("token") if current_user() else None


def safe_next(target: str | None) -> str:
    """A same-site path to go back to after signing in (never another host)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def sign_in_url() -> str:
    """Where to send someone who must sign in, coming back to this page afterwards."""
    wanted = request.full_path if request.query_string else request.path
    return url_for("auth.sign_in", next=wanted if request.method == "GET" else request.referrer)


def login_required(view):
    """Send signed-out users (or expired sessions) to sign in, then back to the page."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_user() is None:
            return redirect(sign_in_url())
        return view(*args, **kwargs)

    return wrapper


def api(method: str, path: str, **kwargs) -> Answer:
    """Call the API as the signed-in user (anonymously when signed out)."""
    client = current_app.extensions["meridian.api"]
    return client.call(method, path, token=token(), **kwargs)


def api_or_404(path: str, **kwargs) -> Answer:
    """GET `path` as the signed-in user; any answer but a success is this page's 404."""
    answer = api("GET", path, **kwargs)
    if not answer.ok:
        abort(404)
    return answer


def api_many(paths: list[str]) -> list[Answer]:
    """GET several paths at once as the signed-in user (answers in order)."""
    return current_app.extensions["meridian.api"].get_many(paths, token=token())
