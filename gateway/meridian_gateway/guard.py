"""Admission of each request: which service owns it, and whether its token is acceptable."""

from __future__ import annotations

from flask import Flask, current_app, g, request

from meridian_common.errors import ApiError

from .access import is_public
from .proxy import PROXY_ENDPOINT
from .routes import resolve

_INVALID = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


def _authenticate() -> None:
    header = request.headers.get("Authorization")
    if header is None:
        if not is_public(request.method, request.path):
            raise ApiError(401, "This endpoint needs a bearer token.", code="missing_token",
                           headers={"WWW-Authenticate": "Bearer"})
        return
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "The Authorization header must be 'Bearer <token>'.",
                       code="invalid_token", headers=_INVALID)
    # Even public routes refuse a bad token: a client should learn its token is broken.
    g.principal = current_app.extensions["meridian.verifier"].verify(token.strip())


def admit() -> None:
    """before_request: 404 for paths no service owns, then 401 unless public or authenticated."""
    if request.url_rule is None:
        return  # Flask answers 404/405 itself, without asking for a token first.
    if request.endpoint == PROXY_ENDPOINT:
        g.route = resolve(request.path)
        if g.route is None:
            raise ApiError(404, "No service answers this path.", code="unknown_path")
    _authenticate()


def install_guard(app: Flask) -> None:
    """Run `admit` before every view."""
    app.before_request(admit)
