"""Security headers for every page: a strict CSP (no inline script or style), no framing."""

from __future__ import annotations

from flask import Flask, Response

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          "frame-ancestors 'none'")
_HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def install(app: Flask) -> None:
    """Add the headers; pages are personal, so no shared cache may keep them."""

    @app.after_request
    def _secure(response: Response) -> Response:
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response
