"""CORS for the origins in MERIDIAN_CORS_ORIGINS (hand-rolled: see decision 0006).

Preflights are answered here, before the token check (browsers send them without credentials),
and never reach a service. Tokens travel in the Authorization header, not in cookies, so
credentials are never allowed and `*` cannot leak anyone's session.
"""

from __future__ import annotations

from flask import Flask, Response, request

from meridian_common.web.errors import problem_response

ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE"
ALLOWED_HEADERS = ("Accept", "Accept-Language", "Authorization", "Content-Type",
                   "Idempotency-Key", "If-Match", "If-None-Match", "X-Request-ID")
EXPOSED_HEADERS = "ETag, Location, Retry-After, X-Request-ID, Idempotent-Replayed"
PREFLIGHT_MAX_AGE = "600"


def _allowed(origin: str, origins: tuple[str, ...]) -> bool:
    return "*" in origins or origin in origins


def _preflight(origins: tuple[str, ...]) -> Response | None:
    origin = request.headers.get("Origin")
    wanted = request.headers.get("Access-Control-Request-Method")
    if request.method != "OPTIONS" or not origin or not wanted:
        return None
    if not _allowed(origin, origins):
        return problem_response(403, f"Cross-origin requests from {origin} are not allowed.",
                                code="cors_origin_refused", headers={"Vary": "Origin"})
    asked = [h.strip() for h in request.headers.get("Access-Control-Request-Headers", "")
             .split(",") if h.strip()]
    refused = [h for h in asked if h.lower() not in {a.lower() for a in ALLOWED_HEADERS}]
    if wanted.upper() not in ALLOWED_METHODS.split(", ") or refused:
        return problem_response(403, "This cross-origin request is not allowed.",
                                code="cors_request_refused", headers={"Vary": "Origin"})
    response = Response(status=204)
    response.headers.update({
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": ALLOWED_METHODS,
        "Access-Control-Allow-Headers": ", ".join(ALLOWED_HEADERS),
        "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
        "Vary": "Origin",
    })
    return response


def install_cors(app: Flask, origins: tuple[str, ...]) -> None:
    """Answer preflights and label answers for allowed origins; nothing when none are set."""
    if not origins:
        return

    @app.before_request
    def _answer_preflight():
        return _preflight(origins)

    @app.after_request
    def _label(response: Response) -> Response:
        origin = request.headers.get("Origin")
        if origin and _allowed(origin, origins):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
            response.vary.add("Origin")
        return response
