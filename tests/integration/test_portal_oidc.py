"""Portal sign-in with OpenID Connect (code flow + PKCE S256, refresh, sign-out) against a tiny
local issuer: real HTTP and real signatures, no identity provider needed."""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from cachelib import SimpleCache
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, jsonify, redirect, request
from meridian_portal.app import create_app
from werkzeug.serving import make_server

CLIENT = "meridian-portal"


class Issuer:
    """Discovery, authorize, token (code and refresh grants), JWKS and end-session."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.app = Flask("issuer")
        self.requests: list[dict] = []
        self.codes: dict[str, dict] = {}
        self.server = make_server("127.0.0.1", 0, self.app)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self._routes()

    def _jwt(self, claims: dict) -> str:
        now = int(time.time())
        body = {"iss": self.url, "iat": now, "exp": now + 300, **claims}
        return jwt.encode(body, self.key, algorithm="RS256", headers={"kid": "k1"})

    def _routes(self) -> None:
        app = self.app

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify({"issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
                            "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/jwks",
                            "end_session_endpoint": f"{self.url}/logout",
                            "response_types_supported": ["code"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                            "code_challenge_methods_supported": ["S256"]})

        @app.get("/jwks")
        def jwks():
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
            return jsonify({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]})

        @app.get("/authorize")
        def authorize():
            args = request.args.to_dict()
            self.codes["code-1"] = args
            return redirect(f"{args['redirect_uri']}?code=code-1&state={args['state']}")

        @app.post("/token")
        def token():
            form = request.form.to_dict()
            self.requests.append(form)
            if form["grant_type"] == "authorization_code":
                asked = self.codes.pop(form["code"])
                digest = hashlib.sha256(form["code_verifier"].encode()).digest()
                challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                if challenge != asked["code_challenge"]:
                    return jsonify({"error": "invalid_grant"}), 400
                nonce = asked.get("nonce")
            else:
                nonce = None
            claims = {"sub": "oxford-lead", "aud": "meridian", "roles": ["instructor"],
                      "timezone": "Europe/London", "locale": "zh-Hans"}
            id_claims = {"sub": "oxford-lead", "aud": CLIENT, **({"nonce": nonce} if nonce else {})}
            return jsonify({"access_token": self._jwt(claims), "token_type": "Bearer",
                            "expires_in": 300, "refresh_token": "refresh-1",
                            "id_token": self._jwt(id_claims)})


@pytest.fixture
def issuer():
    made = Issuer()
    thread = threading.Thread(target=made.server.serve_forever, daemon=True)
    thread.start()
    yield made
    made.server.shutdown()


@pytest.fixture
def portal(issuer):
    app = create_app({"dev_auth": False, "secret_key": "x" * 40, "oidc_issuer": issuer.url,
                      "oidc_client_id": CLIENT, "api_url": "http://127.0.0.1:9"},
                     session_store=SimpleCache())
    app.config.update(WTF_CSRF_ENABLED=False)  # tests/unit/test_portal_views.py checks CSRF
    return app


def _sign_in(client) -> requests.Response:
    to_portal = client.get("/sign-in?next=/timetable")
    assert to_portal.location.startswith("/oidc/login")
    to_issuer = client.get(to_portal.location)
    query = parse_qs(urlsplit(to_issuer.location).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["client_id"] == [CLIENT] and "openid" in query["scope"][0]
    back = requests.get(to_issuer.location, allow_redirects=False, timeout=10)
    callback = urlsplit(back.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def test_code_flow_with_pkce_signs_in_and_returns_to_the_wanted_page(portal, issuer):
    client = portal.test_client()
    done = _sign_in(client)
    assert done.status_code == 302 and done.location == "/timetable"
    assert issuer.requests[0]["grant_type"] == "authorization_code"
    assert len(issuer.requests[0]["code_verifier"]) >= 43
    with client.session_transaction() as session:
        assert session["claims"]["sub"] == "oxford-lead"
        assert session["claims"]["locale"] == "zh-Hans"
        assert session["refresh_token"] == "refresh-1"


def test_a_token_near_expiry_is_refreshed(portal, issuer):
    client = portal.test_client()
    _sign_in(client)
    with client.session_transaction() as session:
        session["expires_at"] = time.time() + 30
        session["token"] = "old"
    # No gateway runs here: the page itself answers "try again", after the refresh.
    client.get("/timetable")
    refresh = issuer.requests[-1]
    assert (refresh["grant_type"], refresh["refresh_token"]) == ("refresh_token", "refresh-1")
    with client.session_transaction() as session:
        assert session["token"] != "old" and session["expires_at"] > time.time() + 200


def test_sign_out_ends_the_issuers_session_too(portal, issuer):
    client = portal.test_client()
    _sign_in(client)
    out = client.post("/sign-out")
    assert out.location.startswith(f"{issuer.url}/logout?")
    query = parse_qs(urlsplit(out.location).query)
    assert query["id_token_hint"][0] and query["client_id"] == [CLIENT]
    with client.session_transaction() as session:
        assert "token" not in session
