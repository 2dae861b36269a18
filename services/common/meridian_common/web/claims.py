"""The shape every token claim a service relies on must have, checked after the signature."""

from __future__ import annotations

import math
import re

import langcodes
from marshmallow import ValidationError, validate

from .validation import is_iana_zone, refuse_bidi_controls, refuse_invisible_only

ROLES = ("student", "instructor", "institution_admin", "admin")

# Identifiers as identity providers issue them (uuids, "auth0|abc", "google-oauth2|123",
# e-mail-like subjects: the characters enrollment accepts as a student id); nothing that
# could be read as a query operator or markup.
_IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@|+-]{0,127}$")
_TEXT_LIMITS = {"email": 254, "name": 200}
_MAX_ROLES = 32


class InvalidClaims(ValueError):
    """A signed token whose claims do not have the documented types and shapes."""


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_identifier(claims: dict, name: str, *, nullable: bool) -> None:
    value = claims.get(name)
    if value is None and nullable:
        return
    if not isinstance(value, str) or not _IDENTIFIER.match(value):
        raise InvalidClaims(f"the '{name}' claim must be an identifier of 1-128 letters, "
                            "digits or ._:@|+- characters")


def _check_text(claims: dict, name: str, limit: int) -> None:
    value = claims.get(name)
    if value is None:
        return
    message = f"the '{name}' claim must be a printable string of at most {limit} characters"
    if not isinstance(value, str) or not value.strip() or len(value) > limit or any(
            ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise InvalidClaims(message)
    try:
        refuse_bidi_controls(value)
        refuse_invisible_only(value)
    except ValidationError as exc:
        raise InvalidClaims(message) from exc


_EMAIL = validate.Email()


def _check_email(claims: dict) -> None:
    value = claims.get("email")
    if value is None:
        return
    try:
        _EMAIL(value)
    except ValidationError as exc:
        raise InvalidClaims("the 'email' claim must be an e-mail address") from exc


def _check_locale(claims: dict) -> None:
    value = claims.get("locale")
    if value is None:
        return
    try:
        valid = isinstance(value, str) and len(value) <= 35 and \
            langcodes.Language.get(value, normalize=False).is_valid()
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        valid = False
    if not valid:
        raise InvalidClaims("the 'locale' claim must be a BCP 47 language tag")


def _check_roles(roles) -> None:
    # Names an identity provider uses for other applications are ignored (Principal keeps
    # only ROLES), but each must still be a plain identifier, never an object or a list.
    if not isinstance(roles, list) or len(roles) > _MAX_ROLES or not all(
            isinstance(role, str) and _IDENTIFIER.match(role) for role in roles):
        raise InvalidClaims(f"the 'roles' claim must be a list of at most {_MAX_ROLES} role "
                            f"names (Meridian's: {', '.join(ROLES)})")


def check_claims(claims: dict) -> None:
    """Raise InvalidClaims unless every claim Meridian reads has its documented type."""
    _check_identifier(claims, "sub", nullable=False)
    _check_identifier(claims, "institution_id", nullable=True)
    for name in ("exp", "iat", "nbf"):
        if name in claims and not _is_number(claims[name]):
            raise InvalidClaims(f"the '{name}' claim must be a number (seconds since 1970)")
    _check_roles(claims.get("roles", []))
    timezone = claims.get("timezone")
    if timezone is not None and not is_iana_zone(timezone):
        raise InvalidClaims("the 'timezone' claim must be an IANA time zone")
    for name, limit in _TEXT_LIMITS.items():
        _check_text(claims, name, limit)
    _check_email(claims)
    _check_locale(claims)
