"""The web portal behind the gateway: every path outside the API and the probes goes to it.

The portal and the API share one origin, so its HttpOnly session cookie never crosses sites.
Unlike API calls, portal requests carry the browser's cookies and no bearer token.
"""

from __future__ import annotations

import os

from flask import Blueprint, Flask, Response, abort, g, request

from .breaker import CircuitOpen
from .busy_page import busy_page, wants_html
from .calls import call
from .client_ip import peer_ip
from .failures import upstream_problem
from .headers import upstream_request_headers
from .relay import UPSTREAM_ERRORS, relay
from .upstream import Upstreams, UpstreamSaturated

BLUEPRINT = "portal"
METHODS = ["GET", "HEAD", "POST"]
# The API's allow-list plus what a browser session needs.
_BROWSER_HEADERS = ("Cookie", "Origin", "Referer")
_NOT_PORTAL = ("/api/", "/healthz", "/readyz", "/metrics")


def portal_url(extra: dict) -> str:
    """The portal's base URL: an override, else MERIDIAN_PORTAL_URL (empty = no portal)."""
    return str(extra.get("portal_url", os.environ.get("MERIDIAN_PORTAL_URL", ""))).rstrip("/")


def _headers() -> dict[str, str]:
    headers = upstream_request_headers(request.headers, request_id=g.request_id,
                                       client_addr=peer_ip())
    headers.pop("Authorization", None)
    for name in _BROWSER_HEADERS:
        if name in request.headers:
            headers[name] = request.headers[name]
    headers["X-Forwarded-Proto"] = request.scheme
    headers["X-Forwarded-Host"] = request.host
    return headers


def _failed(exc: BaseException) -> Response:
    problem = upstream_problem("portal", exc)
    return busy_page(request, problem) if wants_html(request) else problem


def build_blueprint(upstreams: Upstreams) -> Blueprint:
    """The catch-all route forwarding pages, forms and static files to the portal."""
    bp = Blueprint(BLUEPRINT, __name__)

    @bp.route("/", defaults={"path": ""}, methods=METHODS)
    @bp.route("/<path:path>", methods=METHODS)
    def page(path: str) -> Response:
        """Forward one browser request to the portal and relay its answer."""
        if request.path.startswith(_NOT_PORTAL):
            abort(404)
        target = request.full_path if request.query_string else request.path
        body = request.get_data(cache=False) if request.content_length else None
        try:
            upstreams.acquire("portal")
        except UpstreamSaturated as exc:
            return _failed(exc)
        released = []

        def done() -> None:
            if not released:
                released.append(True)
                upstreams.release("portal")

        try:
            answer = call(upstreams, "portal", request.method, target, headers=_headers(),
                          body=body)
            return relay(request.method, answer, upstream_base=upstreams.urls["portal"],
                         done=done)
        except (CircuitOpen, *UPSTREAM_ERRORS) as exc:
            done()
            return _failed(exc)

    return bp


def install_portal(app: Flask, url: str, *, connect_timeout: float, read_timeout: float) -> None:
    """Route every non-API path to the portal at `url` (nothing when `url` is empty)."""
    if not url:
        return
    upstreams = Upstreams({"portal": url}, connect_timeout=connect_timeout,
                          read_timeout=read_timeout, max_inflight=10_000)
    app.register_blueprint(build_blueprint(upstreams))
