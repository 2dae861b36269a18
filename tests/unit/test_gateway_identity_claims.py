"""The optional identity claims (email, name, locale): dev tokens issue them, every service
checks their shape and hands them to the code as part of the principal; new routes."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from marshmallow import ValidationError

from meridian_common.config import Settings
from meridian_common.web.auth import TokenVerifier
from meridian_common.web.claims import InvalidClaims, check_claims
from meridian_gateway.access import is_public
from meridian_gateway.devtoken import DevTokenRequest, build_claims
from meridian_gateway.routes import resolve


def _load(**extra):
    return DevTokenRequest().load({"sub": "u1", "roles": ["student"], **extra})


def test_dev_tokens_carry_the_identity_claims_when_given():
    identity = _load(email="li@example.cn", name="李伟", locale="zh-Hans")
    claims = build_claims(identity, issuer="i", audience="a", ttl_seconds=60, now=0)
    assert (claims["email"], claims["name"], claims["locale"]) == ("li@example.cn", "李伟",
                                                                    "zh-Hans")
    assert not {"email", "name", "locale"} & set(build_claims(
        _load(), issuer="i", audience="a", ttl_seconds=60, now=0))


@pytest.mark.parametrize(("extra", "field"), [
    ({"email": "li.example.cn"}, "email"), ({"email": "a@b@c"}, "email"),
    ({"email": "x" * 250 + "@example.org"}, "email"), ({"name": "   "}, "name"),
    ({"name": "\u200b"}, "name"), ({"name": "Eve\u202e"}, "name"),
    ({"locale": "de"}, "locale"), ({"locale": "zh-CN"}, "locale"), ({"locale": 1}, "locale"),
])
def test_dev_tokens_refuse_malformed_identity_claims(extra, field):
    with pytest.raises(ValidationError) as caught:
        _load(**extra)
    assert field in caught.value.messages


def _claims(**extra):
    return {"sub": "u1", "roles": [], **extra}


@pytest.mark.parametrize("extra", [
    {"email": "not-an-address"}, {"email": 5}, {"name": "\u202eevil"}, {"name": "\u200b\u200b"},
    {"locale": "not a tag"}])
def test_services_refuse_tokens_with_malformed_identity_claims(extra):
    with pytest.raises(InvalidClaims):
        check_claims(_claims(**extra))


def test_services_accept_any_bcp47_locale_an_identity_provider_sends():
    check_claims(_claims(email="ana@example.edu", name="Ana Lima", locale="pt-BR"))


def test_the_principal_carries_the_identity_claims(tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = tmp_path / "public.pem"
    public.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    verifier = TokenVerifier(Settings(service="t", jwt_public_key_file=str(public),
                                      jwt_issuer="iss", jwt_audience="aud"))
    now = int(time.time())
    token = jwt.encode({"sub": "u1", "roles": ["student"], "iss": "iss", "aud": "aud",
                        "exp": now + 60, "email": "a@example.org", "name": "A",
                        "locale": "zh-Hans"}, key, algorithm="RS256")
    principal = verifier.verify(token)
    assert (principal.email, principal.name, principal.locale) == ("a@example.org", "A",
                                                                   "zh-Hans")


@pytest.mark.parametrize("path", [
    "/api/v1/me/notification-preferences", "/api/v1/me/notifications",
    "/api/v1/me/notifications/ntf_1/read", "/api/v1/notifications/failures",
    "/api/v1/unsubscribe/abc.def"])
def test_notification_paths_reach_the_notifications_service(path):
    assert resolve(path).service == "notifications"


def test_only_the_unsubscribe_link_is_public():
    assert is_public("POST", "/api/v1/unsubscribe/abc.def")
    assert is_public("GET", "/api/v1/unsubscribe/abc.def")
    assert not is_public("DELETE", "/api/v1/unsubscribe/abc.def")
    assert not is_public("GET", "/api/v1/me/notifications")
    assert not is_public("GET", "/api/v1/notifications/failures")
