"""Response helpers shared by the catalog's blueprints."""

from __future__ import annotations

from flask import Response

from meridian_common.web.errors import ApiError
from meridian_common.web.http import etag_for, with_etag


def etag_of(document) -> str:
    """The ETag of a stored aggregate (identity + version)."""
    return etag_for(type(document).__name__, document.id, document.version)


def answer(payload: dict, document, status: int = 200, location: str | None = None) -> Response:
    """Answer a single resource with its ETag (and Location for creations)."""
    response = with_etag(payload, etag_of(document), status=status)
    if location:
        response.headers["Location"] = location
    return response


def not_found(kind: str, identifier: str) -> ApiError:
    """The 404 for an unknown id."""
    return ApiError(404, f"No {kind} with id '{identifier}'.", code="not_found")


def forbidden(detail: str) -> ApiError:
    """The 403 for an authenticated caller without the right."""
    return ApiError(403, detail, code="forbidden")
