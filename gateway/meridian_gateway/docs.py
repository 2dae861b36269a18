"""`GET /api/v1/openapi.json` (merged document) and `GET /api/docs` (its browsable page)."""

from __future__ import annotations

import json

from flask import Blueprint

from meridian_common.web.http import etag_for, with_etag

from .access import is_public
from .docs_page import render_docs
from .openapi_errors import document_errors
from .openapi_merge import merge_specs
from .openapi_source import SpecCache
from .routes import owner_of_template
from .upstream import Upstreams

SPEC_TIMEOUT = (1.0, 3.0)


def fetch_spec(upstreams: Upstreams, name: str) -> dict:
    """One service's own OpenAPI document (raises when it has none to give)."""
    response = upstreams.get(name, "/openapi.json", timeout=SPEC_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        raise ValueError(f"{name} answered /openapi.json without paths")
    return document


def _info(statuses: dict[str, str]) -> dict:
    description = ("The whole public Meridian API, merged by the gateway from each service's "
                   "own document. Component names carry their service's name as a prefix.")
    missing = sorted(name for name, status in statuses.items() if status == "unavailable")
    if missing:
        description += f" Not included right now (unavailable): {', '.join(missing)}."
    return {"title": "Meridian API", "version": "v1", "description": description}


def build_blueprint(cache: SpecCache, own: dict) -> Blueprint:
    """The two documentation endpoints over `cache` plus the gateway's `own` fragment."""
    bp = Blueprint("docs", __name__)
    own_paths = frozenset(own.get("paths") or {})

    def merged_document() -> dict:
        """The services' current documents merged with the gateway's own."""
        specs, statuses = cache.snapshot()
        document = merge_specs(specs, own=own, owner=owner_of_template, info=_info(statuses))
        document["x-meridian-services"] = statuses
        return document_errors(document, own_paths=own_paths)

    @bp.get("/api/v1/openapi.json")
    def openapi_json():
        """The merged document, with an ETag so clients can revalidate cheaply."""
        document = merged_document()
        response = with_etag(document, etag_for(json.dumps(document, sort_keys=True)))
        response.headers["Cache-Control"] = "no-cache"
        return response

    @bp.get("/api/docs")
    def docs_page():
        """The browsable page for the merged document."""
        return render_docs(merged_document(), is_public)

    return bp
