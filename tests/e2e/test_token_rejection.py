"""Bad tokens are refused (401) by the running gateway and again by each service directly."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support import env, make_token, unique


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(**overrides) -> dict:
    now = int(time.time())
    return {"sub": "intruder", "roles": ["admin"], "iss": "meridian-dev", "aud": "meridian",
            "iat": now, "exp": now + 600, **overrides}


def _unsigned() -> str:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{_b64(json.dumps(_claims()).encode())}."


def _hs256_with_the_public_key() -> str:
    # The classic algorithm-confusion attack: the verifier's public key used as an HMAC secret.
    public_pem = Path(env("JWT_PUBLIC_KEY_FILE")).read_bytes()
    signing_input = (f"{_b64(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}."
                     f"{_b64(json.dumps(_claims()).encode())}")
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def _forged() -> str:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(_claims(), stranger, algorithm="RS256")


BAD_TOKENS = {
    "forged": _forged,
    "expired": lambda: make_token("intruder", ["admin"], ttl=-120),
    "alg-none": _unsigned,
    "hs256-with-public-key": _hs256_with_the_public_key,
    "wrong-audience": lambda: make_token("intruder", ["admin"], aud="another-app"),
    "wrong-issuer": lambda: make_token("intruder", ["admin"], iss="https://evil.example/"),
    "no-expiry": lambda: jwt.encode({k: v for k, v in _claims().items() if k != "exp"},
                                    Path(env("DEV_AUTH_PRIVATE_KEY_FILE")).read_text(),
                                    algorithm="RS256"),
    "garbage": lambda: "not.a.jwt",
}

INSTITUTION = {"name": "Nowhere", "country": "GB", "timezone": "Europe/London", "alliances": []}
# (base URL variable, method, path, body): private routes, one or more per service; the
# enrollment one reads by id, so that the good-token control stays cheap on a busy database.
TARGETS = {
    "gateway-enrollment": ("GATEWAY_URL", "GET", "/api/v1/enrollments/enr_none", None),
    "gateway-classroom": ("GATEWAY_URL", "GET", "/api/v1/me/timetable", None),
    "gateway-catalog": ("GATEWAY_URL", "POST", "/api/v1/institutions", INSTITUTION),
    "gateway-public-route": ("GATEWAY_URL", "GET", "/api/v1/courses", None),
    "catalog-direct": ("CATALOG_URL", "POST", "/api/v1/institutions", INSTITUTION),
    "enrollment-direct": ("ENROLLMENT_URL", "GET", "/api/v1/enrollments/enr_none", None),
    "classroom-direct": ("CLASSROOM_URL", "GET", "/api/v1/me/timetable", None),
    "gateway-notifications": ("GATEWAY_URL", "GET", "/api/v1/me/notifications", None),
    "notifications-direct": ("NOTIFICATIONS_URL", "GET", "/api/v1/me/notification-preferences",
                             None),
}


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("kind", sorted(BAD_TOKENS))
def test_a_bad_token_is_refused_everywhere(http, kind, target):
    base, method, path, body = TARGETS[target]
    response = http.request(method, env(base) + path, json=body, timeout=30,
                            headers={"Authorization": f"Bearer {BAD_TOKENS[kind]()}"})
    assert response.status_code == 401, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Traceback" not in response.text


@pytest.mark.parametrize("target", sorted(t for t in TARGETS if t != "gateway-public-route"))
def test_the_same_routes_accept_a_good_token(http, target):
    base, method, path, body = TARGETS[target]
    if body is not None:
        body = {**body, "name": f"Good {unique()}"}
    token = make_token(unique("adm-"), ["admin"])
    response = http.request(method, env(base) + path, json=body, timeout=30,
                            headers={"Authorization": f"Bearer {token}"})
    assert response.status_code in (200, 201, 404), response.text
    assert response.status_code != 404 or response.json()["code"] == "not_found"
