"""The catch-all view that forwards a routed `/api/v1` request to its service."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import quote

from flask import Blueprint, Response, current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from .breaker import CircuitOpen
from .calls import call
from .client_ip import peer_ip
from .failures import upstream_problem
from .headers import upstream_request_headers
from .metrics import upstream_latency
from .relay import UPSTREAM_ERRORS, relay
from .upstream import Upstreams, UpstreamSaturated

PROXY_ENDPOINT = "proxy.forward"
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
# RFC 3986 pchar plus "/": what may appear unescaped in a path.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"

bp = Blueprint("proxy", __name__)


def _once(func: Callable[[], None]) -> Callable[[], None]:
    called = False

    def wrapper() -> None:
        nonlocal called
        if not called:
            called = True
            func()

    return wrapper


def _request_body() -> bytes | None:
    # Read whole (bounded by MAX_CONTENT_LENGTH) so the service gets a Content-Length and
    # applies its own size and content checks as usual.
    if request.content_length:
        return request.get_data(cache=False)  # werkzeug answers 413 for a larger length
    if request.headers.get("Transfer-Encoding", "").lower() != "chunked":
        return None
    body = request.get_data(cache=False)
    # werkzeug cuts a chunked body off at the limit without complaint: more left means 413.
    if len(body) >= current_app.config["MAX_CONTENT_LENGTH"] and \
            request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()
    return body


def _target() -> str:
    # Re-quoting the decoded path sends the service exactly the path the gateway routed.
    target = quote(request.path, safe=_PATH_SAFE)
    if request.query_string:
        target += "?" + request.query_string.decode("utf-8", "replace")
    return target


@bp.route("/api/v1/<path:_path>", methods=METHODS, provide_automatic_options=False)
def forward(_path: str) -> Response:
    """Forward the request to the service that owns it and relay the answer."""
    service = g.route.service
    upstreams: Upstreams = current_app.extensions["meridian.upstreams"]
    body = _request_body()
    headers = upstream_request_headers(request.headers, request_id=g.request_id,
                                       client_addr=peer_ip())
    try:
        upstreams.acquire(service)
    except UpstreamSaturated as exc:
        return upstream_problem(service, exc)
    done = _once(lambda: upstreams.release(service))
    started = time.perf_counter()
    try:
        upstream = call(upstreams, service, request.method, _target(), headers=headers, body=body)
        upstream_latency(service).observe(time.perf_counter() - started)
        return relay(request.method, upstream, upstream_base=upstreams.urls[service], done=done)
    except (CircuitOpen, *UPSTREAM_ERRORS) as exc:
        done()
        return upstream_problem(service, exc)
    except BaseException:
        done()
        raise
