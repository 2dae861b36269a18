"""Which headers cross the gateway, in each direction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from meridian_common.web.context import REQUEST_ID_HEADER

# An allow-list: anything else a client sends (cookies, spoofed internal headers) stays here.
FORWARDED_REQUEST_HEADERS: tuple[str, ...] = (
    "Accept",
    "Accept-Encoding",
    "Accept-Language",
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "If-Match",
    "If-Modified-Since",
    "If-None-Match",
    "If-Unmodified-Since",
    "User-Agent",
)

HOP_BY_HOP: frozenset[str] = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
    "proxy-connection", "te", "trailer", "trailers", "transfer-encoding", "upgrade",
})

# The gateway's own server adds Date and Server, and it sets the request id itself.
_ANSWERED_BY_GATEWAY = frozenset({"date", "server", REQUEST_ID_HEADER.lower()})


def forwarded_for(existing: str | None, client_addr: str | None) -> str | None:
    """Append the client's address to an incoming X-Forwarded-For chain."""
    chain = [part.strip() for part in (existing or "").split(",") if part.strip()]
    if client_addr:
        chain.append(client_addr)
    return ", ".join(chain) or None


def upstream_request_headers(incoming: Mapping[str, str], *, request_id: str,
                             client_addr: str | None) -> dict[str, str]:
    """The headers to send upstream for a client request."""
    present = {name.lower(): value for name, value in incoming.items()}
    headers = {name: present[name.lower()] for name in FORWARDED_REQUEST_HEADERS
               if name.lower() in present}
    # Without this the HTTP client would offer gzip, and the client might get a body it can't read.
    headers.setdefault("Accept-Encoding", "identity")
    headers[REQUEST_ID_HEADER] = request_id
    chain = forwarded_for(present.get("x-forwarded-for"), client_addr)
    if chain:
        headers["X-Forwarded-For"] = chain
    return headers


def _connection_tokens(items: list[tuple[str, str]]) -> set[str]:
    # RFC 9110 7.6.1: headers named in Connection are hop-by-hop too.
    return {token.strip().lower() for name, value in items if name.lower() == "connection"
            for token in value.split(",") if token.strip()}


def relative_location(value: str, upstream_base: str) -> str:
    """Turn an absolute Location that points at the upstream into a path on the gateway."""
    base = upstream_base.rstrip("/")
    if value == base or value.startswith(base + "/") or value.startswith(base + "?"):
        return value[len(base):] or "/"
    return value


def client_response_headers(upstream_items: Iterable[tuple[str, str]],
                            upstream_base: str) -> list[tuple[str, str]]:
    """The upstream's response headers as the client should see them (repeats kept)."""
    items = list(upstream_items)
    dropped = HOP_BY_HOP | _ANSWERED_BY_GATEWAY | _connection_tokens(items)
    kept = []
    for name, value in items:
        if name.lower() in dropped:
            continue
        if name.lower() == "location":
            value = relative_location(value, upstream_base)
        kept.append((name, value))
    return kept
