"""The gateway's own part of the OpenAPI document: bearer auth, problem details, dev tokens."""

from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from meridian_common.web import openapi_fields
from meridian_common.web.errors import PROBLEM_MIME, ProblemSchema

from .devtoken import DevTokenRequest, DevTokenResponse


def _problem(description: str) -> dict:
    return {"description": description,
            "content": {PROBLEM_MIME: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def _dev_token_path(spec: APISpec) -> None:
    spec.path(path="/api/v1/auth/dev-token", operations={"post": {
        "tags": ["auth"],
        "summary": "Issue a signed development token (local stacks only)",
        "description": "Exists only while dev auth is switched on. The token is an RS256 JWT "
                       "that the gateway and every service accept.",
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/DevTokenRequest"}}}},
        "responses": {
            "200": {"description": "A bearer token", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/DevTokenResponse"}}}},
            "400": _problem("The body is not JSON"),
            "422": _problem("Unknown or invalid fields"),
        },
    }})


def own_spec(*, dev_auth: bool) -> dict:
    """The fragment the gateway contributes to the merged document."""
    plugin = MarshmallowPlugin()
    spec = APISpec(title="Meridian gateway", version="v1", openapi_version="3.0.3",
                   plugins=[plugin])
    openapi_fields.install(plugin)
    spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    spec.components.schema("Problem", schema=ProblemSchema)
    if dev_auth:
        spec.tag({"name": "auth", "description": "Development identities"})
        spec.components.schema("DevTokenRequest", schema=DevTokenRequest)
        spec.components.schema("DevTokenResponse", schema=DevTokenResponse)
        _dev_token_path(spec)
    return spec.to_dict()
