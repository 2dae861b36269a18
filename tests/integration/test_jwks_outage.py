"""An unreachable JWKS endpoint is a 503 (try again), not a 401 (your token is bad)."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from meridian_common.config import load_settings
from meridian_common.web.auth import TokenVerifier
from meridian_common.web.errors import ApiError
from tests.gateway_harness import refused_url


def test_a_token_cannot_be_judged_while_the_provider_is_unreachable():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    token = jwt.encode({"sub": "u", "iss": "i", "aud": "a", "iat": now, "exp": now + 60}, key,
                       algorithm="RS256", headers={"kid": "k1"})
    with refused_url() as down:
        verifier = TokenVerifier(load_settings("authtest", {
            "jwt_jwks_url": f"{down}/jwks.json", "jwt_issuer": "i", "jwt_audience": "a"}))
        with pytest.raises(ApiError) as refused:
            verifier.verify(token)
    assert refused.value.status == 503
    assert refused.value.code == "jwks_unavailable"
    assert refused.value.headers["Retry-After"] == "5"
    with pytest.raises(ApiError) as garbage:
        verifier.verify("not-a-jwt")
    assert garbage.value.status == 401, "a malformed token is still the caller's problem"
