"""Bearer-token verification (PyJWT) and the caller's identity as seen by a service."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import jwt
from flask import current_app, g, request

from ..config import Settings
from .claims import ROLES, InvalidClaims, check_claims
from .errors import ApiError

__all__ = ["ROLES", "Principal", "TokenVerifier", "bearer_token", "current_principal",
           "require_auth"]


@dataclass(frozen=True)
class Principal:
    """Who is calling: the verified claims a service relies on."""

    user_id: str
    roles: frozenset[str] = field(default_factory=frozenset)
    institution_id: str | None = None
    timezone: str | None = None
    # Optional OpenID Connect standard claims: where and how to write to the user.
    email: str | None = None
    name: str | None = None
    locale: str | None = None

    def has_role(self, *roles: str) -> bool:
        """True when the caller holds any of `roles`."""
        return bool(self.roles.intersection(roles))

    @property
    def is_admin(self) -> bool:
        """Platform administrators may do anything."""
        return "admin" in self.roles


class TokenVerifier:
    """Verifies RS256 (or configured) JWTs against a JWKS endpoint or a PEM public key."""

    def __init__(self, settings: Settings):
        self.settings = settings
        # The whole key set is cached (not single keys), so a key the provider withdraws stops
        # working within one cache lifespan; unknown key ids trigger at most one refetch per
        # cool-down, so forged `kid`s cannot make us hammer the provider.
        self._jwks = jwt.PyJWKClient(
            settings.jwt_jwks_url, cache_keys=False, cache_jwk_set=True,
            lifespan=settings.jwt_jwks_cache_seconds, timeout=5,
            cooldown_duration=settings.jwt_jwks_refresh_cooldown_seconds,
        ) if settings.jwt_jwks_url else None
        self._static_key = None
        if not self._jwks and settings.jwt_public_key_file:
            self._static_key = Path(settings.jwt_public_key_file).read_text()

    def _key_for(self, token: str):
        if self._jwks is not None:
            return self._jwks.get_signing_key_from_jwt(token).key
        if self._static_key is not None:
            return self._static_key
        raise ApiError(401, "Token verification is not configured on this service.",
                       code="auth_unconfigured")

    def verify(self, token: str) -> Principal:
        """Return the principal for a valid token, or raise a 401 ApiError."""
        try:
            claims = jwt.decode(
                token,
                key=self._key_for(token),
                algorithms=list(self.settings.jwt_algorithms),
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                leeway=self.settings.jwt_leeway_seconds,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.PyJWKClientConnectionError as exc:
            # The provider being unreachable says nothing about the token: a 401 would make
            # clients throw away a good one.
            raise ApiError(503, "The identity provider's signing keys cannot be fetched; "
                                "try again shortly.", code="jwks_unavailable",
                           headers={"Retry-After": "5"}) from exc
        except (jwt.PyJWTError, ValueError) as exc:
            raise ApiError(401, f"The bearer token is not valid: {exc}", code="invalid_token",
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}) from exc
        try:
            check_claims(claims)
        except InvalidClaims as exc:
            raise ApiError(401, f"The bearer token is not valid: {exc}.", code="invalid_token",
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}) from exc
        return Principal(
            user_id=claims["sub"],
            roles=frozenset(role for role in claims.get("roles", []) if role in ROLES),
            institution_id=claims.get("institution_id"),
            timezone=claims.get("timezone"),
            email=claims.get("email"),
            name=claims.get("name"),
            locale=claims.get("locale"),
        )


def bearer_token() -> str | None:
    """The raw bearer token of the current request, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def current_principal(optional: bool = False) -> Principal | None:
    """Verify the request's token once and cache the principal on `g`."""
    if "principal" not in g:
        token = bearer_token()
        if token is None:
            if optional:
                return None
            raise ApiError(401, "This endpoint needs a bearer token.", code="missing_token",
                           headers={"WWW-Authenticate": "Bearer"})
        g.principal = current_app.extensions["meridian.verifier"].verify(token)
    return g.principal


def require_auth(*roles: str):
    """Decorator: a valid token is needed, and one of `roles` when any are given."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            principal = current_principal()
            if roles and not principal.has_role(*roles):
                raise ApiError(403, f"This action needs one of the roles: {', '.join(roles)}.",
                               code="forbidden_role")
            return view(*args, **kwargs)

        return wrapper

    return decorator
