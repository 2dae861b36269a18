"""Security headers on every answer, and no caching of anything said to a token holder."""

from __future__ import annotations

from flask import Flask, Response, g, request

# The API answers data, never pages to embed or scripts to run; the docs page brings its own
# (stricter-than-default) policy and keeps it.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_STATIC = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-site",
}


def _content_security_policy(response: Response) -> None:
    policy = response.headers.get("Content-Security-Policy")
    if policy is None:
        response.headers["Content-Security-Policy"] = API_POLICY
    elif "frame-ancestors" not in policy:
        response.headers["Content-Security-Policy"] = f"{policy}; frame-ancestors 'none'"


def _cache_control(response: Response) -> None:
    # An answer to a token holder may be personal: no browser, proxy or CDN may keep it.
    # ETag revalidation still works for clients that keep their own copy.
    if g.get("principal") is not None or "Authorization" in request.headers:
        response.headers["Cache-Control"] = "no-store"


def install_security_headers(app: Flask, *, hsts_seconds: int) -> None:
    """Add the headers after every request; HSTS when configured or when served over https."""

    @app.after_request
    def _secure(response: Response) -> Response:
        for name, value in _STATIC.items():
            response.headers.setdefault(name, value)
        _content_security_policy(response)
        _cache_control(response)
        if hsts_seconds > 0 or request.is_secure:
            age = hsts_seconds if hsts_seconds > 0 else 31_536_000
            response.headers["Strict-Transport-Security"] = f"max-age={age}; includeSubDomains"
        return response
