"""Dev-token request validation, claims and signature (pure: key generated in memory)."""

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from marshmallow import ValidationError

from meridian_common.config import Settings
from meridian_gateway.devtoken import DevTokenIssuer, DevTokenRequest, build_claims


@pytest.fixture(scope="module")
def key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _load(payload):
    return DevTokenRequest().load(payload)


def test_a_full_identity_is_accepted():
    identity = _load({"sub": "u1", "roles": ["student", "admin"], "institution_id": "i1",
                      "timezone": "Asia/Shanghai"})
    assert identity == {"sub": "u1", "roles": ["student", "admin"], "institution_id": "i1",
                        "timezone": "Asia/Shanghai"}


def test_defaults_for_optional_fields():
    assert _load({"sub": "u1", "roles": []}) == {"sub": "u1", "roles": [],
                                                "institution_id": None, "timezone": "UTC"}


@pytest.mark.parametrize(("payload", "field"), [
    ({"sub": "u1", "roles": ["root"]}, "roles"),
    ({"sub": "u1", "roles": "admin"}, "roles"),
    ({"sub": "u1", "roles": [], "timezone": "Mars/Olympus"}, "timezone"),
    ({"sub": "u1", "roles": [], "timezone": "+08:00"}, "timezone"),
    ({"sub": "u1", "roles": [], "is_admin": True}, "is_admin"),
    ({"roles": []}, "sub"),
    ({"sub": "", "roles": []}, "sub"),
    ({"sub": "u1"}, "roles"),
])
def test_invalid_or_unknown_fields_are_rejected(payload, field):
    with pytest.raises(ValidationError) as caught:
        _load(payload)
    assert field in caught.value.messages


def test_claims_carry_identity_issuer_audience_and_lifetime():
    identity = _load({"sub": "u1", "roles": ["admin", "admin", "student"],
                      "institution_id": "i1", "timezone": "Europe/London"})
    claims = build_claims(identity, issuer="iss", audience="aud", ttl_seconds=600, now=1000)
    assert claims == {"iss": "iss", "aud": "aud", "sub": "u1", "iat": 1000, "exp": 1600,
                      "roles": ["admin", "student"], "timezone": "Europe/London",
                      "institution_id": "i1"}


def test_claims_leave_out_a_missing_institution():
    claims = build_claims(_load({"sub": "u1", "roles": []}), issuer="i", audience="a",
                          ttl_seconds=1, now=0)
    assert "institution_id" not in claims


def test_issued_tokens_verify_with_the_public_key(key):
    settings = Settings(service="gateway", jwt_issuer="meridian-dev", jwt_audience="meridian",
                        dev_token_ttl_seconds=120)
    issued = DevTokenIssuer(settings, key).issue(_load({"sub": "u9", "roles": ["instructor"]}))
    assert issued["token_type"] == "Bearer"
    assert issued["expires_in"] == 120
    claims = jwt.decode(issued["access_token"], key.public_key(), algorithms=["RS256"],
                        audience="meridian", issuer="meridian-dev")
    assert claims["sub"] == "u9"
    assert claims["roles"] == ["instructor"]
    assert claims["exp"] - claims["iat"] == 120
    assert jwt.get_unverified_header(issued["access_token"])["alg"] == "RS256"


def test_a_missing_key_file_stops_the_issuer_early():
    settings = Settings(service="gateway", dev_auth=True, dev_auth_private_key_file="")
    with pytest.raises(RuntimeError, match="private key"):
        DevTokenIssuer.from_settings(settings)
