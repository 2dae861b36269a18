"""Remembered token verifications: hits skip the verifier, never outlive exp or the TTL."""

import time

import jwt
import pytest

from meridian_common.config import Settings
from meridian_common.web.auth import TokenVerifier
from meridian_common.web.errors import ApiError
from meridian_gateway.token_cache import CachingVerifier
from tests.gateway_harness import dev_key_pair


class Counting(TokenVerifier):
    def __init__(self, settings):
        super().__init__(settings)
        self.calls = 0

    def verify(self, token):
        self.calls += 1
        return super().verify(token)


class Clock:
    def __init__(self):
        self.now = time.time()

    def __call__(self):
        return self.now


@pytest.fixture
def keys(tmp_path):
    return dev_key_pair(tmp_path)


@pytest.fixture
def inner(keys):
    return Counting(Settings(service="gateway", jwt_public_key_file=str(keys[1]),
                             jwt_leeway_seconds=0))


def _token(keys, clock, ttl=600, sub="u1"):
    now = int(clock.now)
    return jwt.encode({"sub": sub, "iss": "meridian-dev", "aud": "meridian", "iat": now,
                       "exp": now + ttl, "roles": ["student"]}, keys[0].read_text(),
                      algorithm="RS256")


def test_a_token_verified_moments_ago_is_not_verified_again(keys, inner):
    clock = Clock()
    cache = CachingVerifier(inner, ttl_seconds=60, clock=clock)
    token = _token(keys, clock)
    assert cache.verify(token).user_id == "u1"
    assert cache.verify(token).user_id == "u1"
    assert inner.calls == 1
    clock.now += 61
    cache.verify(token)
    assert inner.calls == 2, "the TTL bounds how long a verification is trusted"


def test_nothing_is_remembered_past_the_tokens_expiry(keys, inner):
    clock = Clock()
    cache = CachingVerifier(inner, ttl_seconds=600, clock=clock)
    token = _token(keys, clock, ttl=5)
    cache.verify(token)
    clock.now += 6
    cache.verify(token)
    assert inner.calls == 2, "past exp the verifier decides again (it would refuse by then)"


def test_refusals_are_never_remembered_and_the_size_is_bounded(keys, inner):
    clock = Clock()
    cache = CachingVerifier(inner, ttl_seconds=60, size=2, clock=clock)
    for _ in range(2):
        with pytest.raises(ApiError):
            cache.verify("not-a-token")
    assert inner.calls == 2
    tokens = [_token(keys, clock, sub=f"u{i}") for i in range(3)]
    for token in tokens:
        cache.verify(token)
    cache.verify(tokens[0])
    assert inner.calls == 2 + 3 + 1, "the oldest entry made room for the newest"
