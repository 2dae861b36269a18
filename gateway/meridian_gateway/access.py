"""Which requests the gateway lets through without a bearer token."""

from __future__ import annotations

from .paths import PathRule

_READ = frozenset({"GET", "HEAD"})

PUBLIC: tuple[tuple[frozenset[str], PathRule], ...] = (
    (_READ, PathRule("/healthz")),
    (_READ, PathRule("/readyz")),
    (_READ, PathRule("/metrics")),
    (_READ, PathRule("/api/v1/openapi.json")),
    (_READ, PathRule("/api/docs")),
    (frozenset({"POST"}), PathRule("/api/v1/auth/dev-token")),
    (_READ, PathRule("/api/v1/institutions", subtree=True)),
    (_READ, PathRule("/api/v1/courses", subtree=True)),
    (_READ, PathRule("/api/v1/offerings/{id}")),
    (_READ, PathRule("/api/v1/calendar/{token}.ics")),
    # RFC 8058 one-click: mail clients POST the link with no credentials but the token in it.
    (_READ | {"POST"}, PathRule("/api/v1/unsubscribe/{token}")),
)


def is_public(method: str, path: str) -> bool:
    """True when `method path` may be called without a token."""
    return any(method in methods and rule.matches(path) for methods, rule in PUBLIC)
