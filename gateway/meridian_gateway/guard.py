"""Admission of each request: which service owns it, who is calling, and whether that's enough.

Identification and enforcement are two hooks so that the rate limits, installed between them,
count a request with a missing or broken token under its address before it is refused: a flood
of bad tokens is throttled like any other.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from meridian_common.web.errors import ApiError

from .access import is_public
from .portal import BLUEPRINT as PORTAL
from .proxy import METHODS, PROXY_ENDPOINT
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


def _own_methods() -> list[str]:
    # The catch-all proxy rule takes every method, so `PUT /api/v1/auth/dev-token` reaches it
    # instead of Flask's 405: the gateway's own routes are asked which methods they answer.
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in METHODS:
        try:
            endpoint, _ = adapter.match(request.path, method=method)
        except HTTPException:
            continue
        if endpoint != PROXY_ENDPOINT:
            allowed.append(method)
    return allowed


def _refuse_other_method() -> None:
    allowed = _own_methods()
    if allowed:
        raise MethodNotAllowed(valid_methods=allowed)


def own_allow_header(response):
    """after_request: an OPTIONS answer for the gateway's own routes lists their methods, not
    every method the catch-all proxy rule takes."""
    if request.method == "OPTIONS" and "Allow" in response.headers \
            and request.endpoint != PROXY_ENDPOINT:
        own = [m for m in _own_methods() if m != "OPTIONS"]
        if own:
            response.headers["Allow"] = ", ".join([*own, "OPTIONS"])
    return response


def identify() -> None:
    """before_request: 404 for paths no service owns; verify the token, noting any refusal."""
    if request.url_rule is None:
        return  # Flask answers 404/405 itself, without asking for a token first.
    if request.blueprint == PORTAL:
        return  # Pages: the portal knows its users by their session cookie.
    if request.endpoint == PROXY_ENDPOINT:
        g.route = resolve(request.path)
        if g.route is None:
            _refuse_other_method()
            raise ApiError(404, "No service answers this path.", code="unknown_path")
    try:
        _authenticate()
    except ApiError as refusal:
        g.auth_refusal = refusal


def enforce() -> None:
    """before_request: answer 401 for a request `identify` refused."""
    refusal = g.pop("auth_refusal", None)
    if refusal is not None:
        raise refusal


def install_guard(app: Flask, between=None) -> None:
    """Run `identify`, then `between(app)` (rate limits), then `enforce` before every view."""
    app.before_request(identify)
    if between is not None:
        between(app)
    app.before_request(enforce)
    app.after_request(own_allow_header)
