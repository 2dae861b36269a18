"""Production sign-in: OpenID Connect authorization code flow with PKCE (Authlib), refresh and
sign-out, against the issuer whose JWKS the gateway trusts."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, current_app, redirect, request, session, url_for

from ..identity import claims_of, safe_next, sign_in
from ..settings import PortalSettings
from .account import after_sign_in

bp = Blueprint("oidc", __name__, url_prefix="/oidc")
REFRESH_MARGIN_SECONDS = 60


def _client():
    return current_app.extensions["meridian.oauth"].meridian


@bp.get("/login")
def login():
    """Redirect to the issuer (state, nonce and S256 code challenge kept in the session)."""
    session["oidc_next"] = safe_next(request.args.get("next"))
    return _client().authorize_redirect(url_for("oidc.callback", _external=True))


@bp.get("/callback")
def callback():
    """Exchange the code (with the PKCE verifier), start the session, go back."""
    answer = _client().authorize_access_token()
    access = answer["access_token"]
    claims = {**answer.get("userinfo", {}), **claims_of(access)}
    expires_in = int(answer.get("expires_in") or max(60, claims.get("exp", 0) - time.time()))
    target = session.pop("oidc_next", "/")
    sign_in(access, expires_in, claims, refresh_token=answer.get("refresh_token", ""),
            id_token=answer.get("id_token", ""))
    after_sign_in()
    return redirect(safe_next(target))


def refresh() -> None:
    """Renew the access token shortly before it expires, when the issuer gave a refresh token."""
    token = session.get("refresh_token")
    if not token or session.get("expires_at", 0) - time.time() > REFRESH_MARGIN_SECONDS:
        return
    try:
        answer = _client().fetch_access_token(grant_type="refresh_token", refresh_token=token)
    except Exception:  # any refusal means the user signs in again
        session.pop("refresh_token", None)
        return
    session["token"] = answer["access_token"]
    session["expires_at"] = time.time() + int(answer.get("expires_in") or 300)
    session["refresh_token"] = answer.get("refresh_token", token)


def end_session(id_token: str) -> str | None:
    """The issuer's end-session URL (RP-initiated logout), if it has one."""
    metadata = _client().load_server_metadata()
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    query = {"post_logout_redirect_uri": url_for("home.index", _external=True),
             "client_id": current_app.config["MERIDIAN_PORTAL"].oidc_client_id}
    if id_token:
        query["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(query)}"


def install(app: Flask, settings: PortalSettings) -> None:
    """Register the OIDC client from MERIDIAN_OIDC_* settings."""
    oauth = OAuth(app)
    oauth.register(
        "meridian", client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret or None,
        server_metadata_url=f"{settings.oidc_issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": settings.oidc_scopes, "code_challenge_method": "S256"},
    )
    app.extensions["meridian.oauth"] = oauth
    app.extensions["meridian.refresh"] = refresh
    app.extensions["meridian.end_session"] = end_session
    app.register_blueprint(bp)
