"""Every claim a service relies on is checked for type and shape after the signature."""

import time

import jwt
import pytest

from meridian_common.config import load_settings
from meridian_common.web.auth import TokenVerifier
from meridian_common.web.claims import InvalidClaims, check_claims
from meridian_common.web.errors import ApiError
from tests.gateway_harness import dev_key_pair

ISSUER, AUDIENCE = "meridian-dev", "meridian"


def _claims(**overrides) -> dict:
    now = int(time.time())
    claims = {"sub": "u-1", "roles": ["student"], "iss": ISSUER, "aud": AUDIENCE,
              "iat": now, "exp": now + 300, "institution_id": "inst-1",
              "timezone": "Europe/Paris", "email": "ana@example.edu", "name": "Ana Lima",
              "locale": "pt-BR"}
    claims.update(overrides)
    return claims


BAD = [
    {"institution_id": {"$ne": None}}, {"institution_id": ["a"]}, {"institution_id": ""},
    {"institution_id": 7}, {"sub": ""}, {"sub": " "}, {"sub": "x" * 129}, {"sub": {"a": 1}},
    {"sub": "<script>"}, {"sub": "a b"}, {"exp": "9999999999"}, {"iat": "now"},
    {"nbf": True}, {"roles": "admin"}, {"roles": ["super user"]}, {"roles": ["r"] * 33},
    {"roles": [["admin"]]},
    {"roles": None}, {"timezone": "localtime"}, {"timezone": 3}, {"timezone": "Mars/Base"},
    {"email": 5}, {"email": "a" * 300}, {"name": "x\x00y"}, {"name": ""},
    {"locale": "english please"}, {"locale": ["en"]},
]


@pytest.mark.parametrize("overrides", BAD)
def test_claims_of_the_wrong_type_or_shape_are_refused(overrides):
    with pytest.raises(InvalidClaims):
        check_claims(_claims(**overrides))


@pytest.mark.parametrize("overrides", [
    {}, {"institution_id": None}, {"timezone": None}, {"sub": "auth0|5f1a2b"},
    {"sub": "google-oauth2|1234567890"}, {"roles": []}, {"exp": 1.9e9},
])
def test_well_formed_claims_pass(overrides):
    check_claims(_claims(**overrides))


def test_the_optional_profile_claims_may_be_absent():
    claims = _claims()
    for name in ("email", "name", "locale", "timezone", "institution_id", "roles", "nbf"):
        claims.pop(name, None)
    check_claims(claims)


@pytest.fixture
def signer(tmp_path):
    private_path, public_path = dev_key_pair(tmp_path)
    verifier = TokenVerifier(load_settings("claimstest", {
        "jwt_jwks_url": "", "jwt_public_key_file": str(public_path), "jwt_issuer": ISSUER,
        "jwt_audience": AUDIENCE, "jwt_algorithms": ("RS256",)}))
    key = private_path.read_text()
    return verifier, lambda **claims: jwt.encode(_claims(**claims), key, algorithm="RS256")


@pytest.mark.parametrize("overrides", BAD)
def test_the_verifier_answers_401_for_signed_but_malformed_claims(signer, overrides):
    verifier, sign = signer
    with pytest.raises(ApiError) as info:
        verifier.verify(sign(**overrides))
    assert info.value.status == 401
    assert info.value.code == "invalid_token"


def test_the_verifier_returns_the_checked_principal(signer):
    verifier, sign = signer
    principal = verifier.verify(sign(roles=["instructor", "institution_admin", "wiki-editor"]))
    assert principal.user_id == "u-1"
    assert principal.roles == {"instructor", "institution_admin"}
    assert principal.institution_id == "inst-1" and principal.timezone == "Europe/Paris"
