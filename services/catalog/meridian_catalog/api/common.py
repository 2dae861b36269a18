"""What the catalog's blueprints share: the ports, the caller, ETags and refusals as HTTP."""

from __future__ import annotations

import functools

from flask import Response, current_app

from meridian_common.conflicts import Conflict
from meridian_common.web.auth import current_principal
from meridian_common.web.errors import ApiError
from meridian_common.web.http import check_if_match, etag_for, with_etag

from ..application.ports import CatalogPorts
from ..domain.refusals import Forbidden, Invalid, NotFound

PORTS_KEY = "meridian.catalog.ports"


def ports() -> CatalogPorts:
    """The ports app.py wired for this app."""
    return current_app.extensions[PORTS_KEY]


def caller():
    """The verified caller (401 without a valid token)."""
    return current_principal()


def reader():
    """The caller of a read, or None for an anonymous one."""
    return current_principal(optional=True)


def etag_of(aggregate) -> str:
    """The ETag of a stored aggregate (identity + version)."""
    return etag_for(type(aggregate).__name__, aggregate.id, aggregate.version)


def if_match(aggregate) -> None:
    """The precondition of a write: the client's If-Match names this version (else 412)."""
    check_if_match(etag_of(aggregate))


def answer(payload: dict, aggregate, status: int = 200, location: str | None = None) -> Response:
    """Answer a single resource with its ETag (and Location for creations)."""
    response = with_etag(payload, etag_of(aggregate), status=status)
    if location:
        response.headers["Location"] = location
    return response


def as_problem(exc: Exception) -> ApiError:
    """The HTTP answer to a refusal of the domain or application layer."""
    if isinstance(exc, NotFound):
        return ApiError(404, str(exc), code="not_found")
    if isinstance(exc, Forbidden):
        return ApiError(403, str(exc), code="forbidden")
    if isinstance(exc, Invalid):
        return ApiError(422, str(exc), errors=exc.errors)
    return ApiError(409, exc.message, code=exc.code, **exc.extra)


def refusals(view):
    """Turn refusals into ApiError inside the view, so `@idempotent` replays them too."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except (NotFound, Forbidden, Invalid, Conflict) as exc:
            raise as_problem(exc) from exc

    return wrapper
