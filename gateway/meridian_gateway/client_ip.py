"""The client's address, also when the gateway runs behind trusted reverse proxies."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix


def trust_proxies(app: Flask, hops: int) -> None:
    """Believe the last `hops` entries of X-Forwarded-For/-Proto (an ingress, a load balancer)."""
    # Without trusted hops the headers are the client's word and are ignored: otherwise anyone
    # could pick the address their rate limit is counted under.
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def client_ip() -> str:
    """The address requests are counted under for per-address rate limits."""
    return request.remote_addr or "unknown"


def peer_ip() -> str | None:
    """The address of the connection's other end (the nearest proxy, if any)."""
    original = request.environ.get("werkzeug.proxy_fix.orig") or {}
    return original.get("REMOTE_ADDR") or request.remote_addr
