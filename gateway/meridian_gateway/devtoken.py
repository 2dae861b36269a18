"""`POST /api/v1/auth/dev-token`: signed test identities for local stacks (dev auth only)."""

from __future__ import annotations

import time
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from flask import Blueprint, jsonify, request
from marshmallow import Schema, fields, validate

from meridian_common.config import Settings
from meridian_common.locales import SUPPORTED_LOCALES
from meridian_common.web.auth import ROLES
from meridian_common.web.errors import ApiError
from meridian_common.web.validation import IanaZone, SafeString, VisibleText

ALGORITHM = "RS256"


class DevTokenRequest(Schema):
    """Who the token speaks for."""

    sub = SafeString(required=True, max_length=128)
    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), required=True)
    institution_id = SafeString(load_default=None, allow_none=True, max_length=128)
    timezone = IanaZone(load_default="UTC")
    # Optional OpenID Connect standard claims; without `email` notices stay in the portal.
    email = fields.Email(validate=validate.Length(max=254))
    name = VisibleText(max_length=200)
    locale = fields.String(validate=validate.OneOf(SUPPORTED_LOCALES))


class DevTokenResponse(Schema):
    """An OAuth2-style bearer token answer."""

    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_in = fields.Integer(required=True, metadata={"description": "seconds"})


def build_claims(identity: dict, *, issuer: str, audience: str, ttl_seconds: int,
                 now: int) -> dict:
    """The JWT claims for a validated DevTokenRequest payload."""
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": identity["sub"],
        "iat": now,
        "exp": now + ttl_seconds,
        "roles": list(dict.fromkeys(identity["roles"])),
        "timezone": identity["timezone"],
    }
    for optional in ("institution_id", "email", "name", "locale"):
        if identity.get(optional):
            claims[optional] = identity[optional]
    return claims


class DevTokenIssuer:
    """Signs dev tokens with the local stack's private key."""

    def __init__(self, settings: Settings, private_key):
        self.settings = settings
        self.private_key = private_key

    @classmethod
    def from_settings(cls, settings: Settings) -> DevTokenIssuer:
        """Load the PEM key now, so a missing or broken key stops the gateway at start."""
        path = settings.dev_auth_private_key_file
        if not path or not Path(path).is_file():
            raise RuntimeError(f"dev auth is on but the private key file is missing: {path!r}")
        return cls(settings, load_pem_private_key(Path(path).read_bytes(), password=None))

    def issue(self, identity: dict, now: int | None = None) -> dict:
        """A DevTokenResponse body for a validated identity."""
        ttl = self.settings.dev_token_ttl_seconds
        claims = build_claims(identity, issuer=self.settings.jwt_issuer,
                              audience=self.settings.jwt_audience, ttl_seconds=ttl,
                              now=int(time.time()) if now is None else now)
        token = jwt.encode(claims, self.private_key, algorithm=ALGORITHM)
        return {"access_token": token, "token_type": "Bearer", "expires_in": ttl}


def build_blueprint(issuer: DevTokenIssuer) -> Blueprint:
    """The dev-token endpoint; registered only when dev auth is on."""
    bp = Blueprint("dev_token", __name__)

    @bp.post("/api/v1/auth/dev-token")
    def dev_token():
        """Validate the identity and answer a signed token."""
        payload = request.get_json(silent=True)
        if payload is None:
            raise ApiError(400, "The request body must be JSON (Content-Type: application/json).",
                           code="malformed_json")
        response = jsonify(issuer.issue(DevTokenRequest().load(payload)))
        response.headers["Cache-Control"] = "no-store"
        return response

    return bp
