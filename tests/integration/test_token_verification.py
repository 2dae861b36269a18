"""Token verification: every kind of bad token is refused; JWKS keys rotate without restarts."""

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from meridian_common.config import load_settings
from meridian_common.web.auth import TokenVerifier
from meridian_common.web.errors import ApiError

ISSUER, AUDIENCE = "https://id.example.edu/", "meridian"


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _claims(**overrides):
    now = int(time.time())
    claims = {"sub": "u-1", "roles": ["student"], "iss": ISSUER, "aud": AUDIENCE,
              "iat": now, "exp": now + 300}
    claims.update(overrides)
    return claims


class JwksServer:
    """Serves a JWKS document on loopback that the test can change (key rotation)."""

    def __init__(self):
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.fetches = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.fetches += 1
                jwks = {"keys": [{**json.loads(RSAAlgorithm.to_jwk(k.public_key())), "kid": kid,
                                  "use": "sig", "alg": "RS256"} for kid, k in outer.keys.items()]}
                body = json.dumps(jwks).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/jwks.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def sign(self, kid: str, **claims) -> str:
        return jwt.encode(_claims(**claims), self.keys[kid], algorithm="RS256",
                          headers={"kid": kid})


@pytest.fixture
def jwks():
    server = JwksServer()
    server.keys["k1"] = _key()
    yield server
    server.server.shutdown()


@pytest.fixture
def verifier(jwks):
    return TokenVerifier(load_settings("authtest", {
        "jwt_jwks_url": jwks.url, "jwt_issuer": ISSUER, "jwt_audience": AUDIENCE,
        "jwt_algorithms": ("RS256",), "jwt_jwks_refresh_cooldown_seconds": 0}))


def _refused(verifier, token):
    with pytest.raises(ApiError) as err:
        verifier.verify(token)
    assert err.value.status == 401
    return err.value


def test_a_good_token_gives_the_principal(verifier, jwks):
    principal = verifier.verify(jwks.sign("k1", roles=["instructor", "not-a-role"],
                                          institution_id="ins_1", timezone="Asia/Shanghai"))
    assert principal.user_id == "u-1"
    assert principal.roles == frozenset({"instructor"})
    assert (principal.institution_id, principal.timezone) == ("ins_1", "Asia/Shanghai")


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_bad_tokens_are_all_refused(verifier, jwks):
    now = int(time.time())
    _refused(verifier, "not-a-jwt")
    _refused(verifier, jwks.sign("k1", exp=now - 120))
    _refused(verifier, jwks.sign("k1", aud="someone-else"))
    _refused(verifier, jwks.sign("k1", iss="https://evil.example/"))
    _refused(verifier, jwks.sign("k1", roles="admin"))
    forged = jwt.encode(_claims(), _key(), algorithm="RS256", headers={"kid": "k1"})
    _refused(verifier, forged)
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': 'k1'})}.{_b64(_claims())}."
    _refused(verifier, unsigned)
    public_pem = jwks.keys["k1"].public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = _b64({"alg": "HS256", "typ": "JWT", "kid": "k1"})
    body = _b64(_claims(roles=["admin"]))
    import hashlib
    import hmac
    signature = base64.urlsafe_b64encode(hmac.new(
        public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest()).rstrip(b"=").decode()
    _refused(verifier, f"{header}.{body}.{signature}")
    missing_exp = _claims()
    del missing_exp["exp"]
    _refused(verifier, jwt.encode(missing_exp, jwks.keys["k1"], algorithm="RS256",
                                  headers={"kid": "k1"}))


def test_keys_rotate_without_a_restart(verifier, jwks):
    assert verifier.verify(jwks.sign("k1")).user_id == "u-1"
    jwks.keys["k2"] = _key()
    assert verifier.verify(jwks.sign("k2", sub="u-2")).user_id == "u-2"
    retired = jwks.sign("k1")
    del jwks.keys["k1"]
    jwks.keys["k3"] = _key()
    assert verifier.verify(jwks.sign("k3", sub="u-3")).user_id == "u-3"
    assert verifier.verify(jwks.sign("k3", sub="u-4")).user_id == "u-4"
    assert jwks.fetches == 3, "one fetch at start and one per new key, cached in between"
    _refused(verifier, retired)
