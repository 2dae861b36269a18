"""Merging the services' OpenAPI documents and caching them (pure: fake fetches, fake clock)."""

import pytest

from meridian_gateway.openapi_merge import component_prefix, merge_specs, rewrite_refs
from meridian_gateway.openapi_own import own_spec
from meridian_gateway.openapi_source import RETRY_FAILED_SECONDS, SpecCache
from meridian_gateway.routes import owner_of_template

INFO = {"title": "Meridian API", "version": "v1"}


def _service_spec(path: str, schema: str, *, extra_paths=None, security=None) -> dict:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "svc", "version": "v1"},
        "tags": [{"name": schema.lower()}, {"name": "shared"}],
        "paths": {path: {
            "parameters": [{"in": "path", "name": "id", "required": True}],
            "get": {"tags": [schema.lower()], "operationId": "read",
                    "responses": {
                        "200": {"content": {"application/json": {
                            "schema": {"$ref": f"#/components/schemas/{schema}"}}}},
                        "default": {"$ref": "#/components/responses/DEFAULT_ERROR"}}},
        }, **(extra_paths or {})},
        "components": {
            "schemas": {
                schema: {"type": "object", "properties": {"error": {
                    "$ref": "#/components/schemas/Error"}}},
                "Error": {"type": "object", "title": schema},
                "Pet": {"oneOf": [{"$ref": "#/components/schemas/Error"}],
                        "discriminator": {"propertyName": "t",
                                          "mapping": {"e": "#/components/schemas/Error"}}},
            },
            "responses": {"DEFAULT_ERROR": {"description": "error", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }
    if security is not None:
        spec["security"] = security
    return spec


def _merged(**specs):
    return merge_specs(specs, own=own_spec(dev_auth=True), owner=owner_of_template, info=INFO)


def test_component_prefixes():
    assert component_prefix("catalog") == "Catalog"
    assert component_prefix("live-classroom") == "LiveClassroom"


def test_refs_are_rewritten_everywhere_including_discriminators():
    node = {"a": [{"$ref": "#/components/schemas/X"}],
            "discriminator": {"mapping": {"x": "#/components/schemas/X"}},
            "other": {"$ref": "#/paths/foo"}, "securitySchemes": {"$ref": "elsewhere"}}
    out = rewrite_refs(node, "Catalog")
    assert out["a"][0]["$ref"] == "#/components/schemas/CatalogX"
    assert out["discriminator"]["mapping"]["x"] == "#/components/schemas/CatalogX"
    assert out["other"]["$ref"] == "#/paths/foo"
    assert node["a"][0]["$ref"] == "#/components/schemas/X"


def test_same_named_components_of_two_services_do_not_collide():
    doc = _merged(catalog=_service_spec("/api/v1/courses/{id}", "Course"),
                  enrollment=_service_spec("/api/v1/enrollments/{id}", "Enrollment"))
    schemas = doc["components"]["schemas"]
    assert schemas["CatalogError"]["title"] == "Course"
    assert schemas["EnrollmentError"]["title"] == "Enrollment"
    assert "Error" not in schemas
    course = doc["paths"]["/api/v1/courses/{id}"]["get"]
    assert course["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] == \
        "#/components/schemas/CatalogCourse"
    assert course["responses"]["default"]["$ref"] == "#/components/responses/CatalogDEFAULT_ERROR"
    assert schemas["CatalogCourse"]["properties"]["error"]["$ref"] == \
        "#/components/schemas/CatalogError"


def test_every_ref_in_the_merged_document_resolves():
    doc = _merged(catalog=_service_spec("/api/v1/courses/{id}", "Course"),
                  enrollment=_service_spec("/api/v1/enrollments/{id}", "Enrollment"))
    refs = []

    def walk(node):
        if isinstance(node, dict):
            refs.extend(v for k, v in node.items() if k == "$ref")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    assert refs
    for ref in refs:
        _, _, kind, name = ref.split("/")
        assert name in doc["components"][kind], ref


def test_gateway_paths_and_bearer_scheme_are_added():
    doc = _merged(catalog=_service_spec("/api/v1/courses/{id}", "Course"))
    assert "/api/v1/auth/dev-token" in doc["paths"]
    assert doc["components"]["securitySchemes"]["bearerAuth"]["bearerFormat"] == "JWT"
    assert {"DevTokenRequest", "DevTokenResponse", "Problem"} <= set(doc["components"]["schemas"])
    assert doc["openapi"] == "3.0.3"
    assert doc["info"] == INFO


def test_dev_token_path_is_documented_only_with_dev_auth():
    assert "/api/v1/auth/dev-token" not in own_spec(dev_auth=False)["paths"]


def test_paths_the_gateway_would_not_route_to_that_service_are_left_out():
    spec = _service_spec("/api/v1/courses/{id}", "Course",
                         extra_paths={"/api/v1/sessions/{id}": {"get": {"responses": {}}}})
    doc = _merged(catalog=spec)
    assert "/api/v1/sessions/{id}" not in doc["paths"]
    assert doc["x-meridian-unrouted"] == ["catalog /api/v1/sessions/{id}"]


def test_unavailable_services_are_skipped_and_tags_deduplicated():
    doc = _merged(catalog=_service_spec("/api/v1/courses/{id}", "Course"), enrollment=None,
                  classroom=_service_spec("/api/v1/sessions/{id}", "Session"))
    assert set(doc["paths"]) == {"/api/v1/courses/{id}", "/api/v1/sessions/{id}",
                                 "/api/v1/auth/dev-token"}
    names = [tag["name"] for tag in doc["tags"]]
    assert sorted(names) == sorted(set(names))
    assert "x-meridian-unrouted" not in doc


def test_operation_ids_are_prefixed_and_service_security_pushed_down():
    doc = _merged(catalog=_service_spec("/api/v1/courses/{id}", "Course",
                                        security=[{"bearerAuth": []}]))
    operation = doc["paths"]["/api/v1/courses/{id}"]["get"]
    assert operation["operationId"] == "catalog_read"
    assert operation["security"] == [{"bearerAuth": []}]
    assert "security" not in doc


class _Fetcher:
    def __init__(self):
        self.calls = []
        self.down = set()

    def __call__(self, name):
        self.calls.append(name)
        if name in self.down:
            raise ConnectionError(name)
        return {"paths": {}, "info": {"title": f"{name}-{len(self.calls)}"}}


class _Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def cache_parts():
    fetch, clock = _Fetcher(), _Clock()
    return fetch, clock, SpecCache(fetch, ["catalog", "enrollment"], ttl_seconds=30, clock=clock)


def test_documents_are_cached_until_they_expire(cache_parts):
    fetch, clock, cache = cache_parts
    _specs, statuses = cache.snapshot()
    assert statuses == {"catalog": "ok", "enrollment": "ok"}
    cache.snapshot()
    assert len(fetch.calls) == 2
    clock.now += 30
    cache.snapshot()
    assert len(fetch.calls) == 4


def test_a_failing_service_keeps_its_last_good_copy_and_is_retried_sooner(cache_parts):
    fetch, clock, cache = cache_parts
    first, _ = cache.snapshot()
    fetch.down.add("enrollment")
    clock.now += 30
    specs, statuses = cache.snapshot()
    assert statuses == {"catalog": "ok", "enrollment": "stale"}
    assert specs["enrollment"] == first["enrollment"]
    calls = len(fetch.calls)
    clock.now += RETRY_FAILED_SECONDS
    cache.snapshot()
    assert fetch.calls[calls:] == ["enrollment"]


def test_a_service_never_seen_is_unavailable(cache_parts):
    fetch, _clock, cache = cache_parts
    fetch.down.add("catalog")
    specs, statuses = cache.snapshot()
    assert specs["catalog"] is None
    assert statuses["catalog"] == "unavailable"
