"""Merge the services' OpenAPI documents into one, without name clashes (pure, no I/O)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping

COMPONENT_KINDS = ("schemas", "responses", "parameters", "examples", "requestBodies",
                   "headers", "links", "callbacks")
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_REF = re.compile(r"^#/components/([A-Za-z]+)/(.+)$")


def component_prefix(service: str) -> str:
    """`catalog` → `Catalog`: the prefix of that service's component names."""
    return "".join(part.capitalize() for part in re.split(r"[-_]", service))


def _renamed(ref: str, prefix: str) -> str:
    match = _REF.match(ref)
    if match and match.group(1) in COMPONENT_KINDS:
        return f"#/components/{match.group(1)}/{prefix}{match.group(2)}"
    return ref


def rewrite_refs(node, prefix: str):
    """A copy of `node` whose component references carry `prefix` (incl. discriminators)."""
    if isinstance(node, list):
        return [rewrite_refs(item, prefix) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            out[key] = _renamed(value, prefix)
        elif key == "mapping" and isinstance(value, dict):
            out[key] = {k: _renamed(v, prefix) if isinstance(v, str) else v
                        for k, v in value.items()}
        else:
            out[key] = rewrite_refs(value, prefix)
    return out


def _operations(path_item: dict):
    return [(method, op) for method, op in path_item.items()
            if method in HTTP_METHODS and isinstance(op, dict)]


def _add_service(merged: dict, service: str, spec: dict, owns: Callable[[str], bool]) -> None:
    prefix = component_prefix(service)
    spec = rewrite_refs(spec, prefix)
    components = spec.get("components") or {}
    for kind in COMPONENT_KINDS:
        for name, value in (components.get(kind) or {}).items():
            merged["components"].setdefault(kind, {})[f"{prefix}{name}"] = value
    for name, value in (components.get("securitySchemes") or {}).items():
        merged["components"]["securitySchemes"].setdefault(name, value)
    default_security = spec.get("security")
    for path, item in (spec.get("paths") or {}).items():
        if not owns(path):
            # The gateway would never send this path to this service, so it isn't public API.
            merged["x-meridian-unrouted"].append(f"{service} {path}")
            continue
        for _method, operation in _operations(item):
            if default_security is not None:
                operation.setdefault("security", default_security)
            if "operationId" in operation:
                operation["operationId"] = f"{service}_{operation['operationId']}"
        merged["paths"][path] = item
    known_tags = {tag.get("name") for tag in merged["tags"]}
    for tag in spec.get("tags") or []:
        if tag.get("name") not in known_tags:
            known_tags.add(tag.get("name"))
            merged["tags"].append(tag)


def merge_specs(specs: Mapping[str, dict | None], *, own: dict,
                owner: Callable[[str], str | None], info: dict) -> dict:
    """One OpenAPI 3 document from each service's (None = unavailable) plus the gateway's own."""
    own = copy.deepcopy(own)
    own_components = own.get("components") or {}
    merged: dict = {
        "openapi": own.get("openapi", "3.0.3"),
        "info": dict(info),
        "paths": dict(own.get("paths") or {}),
        "components": {kind: dict(value) for kind, value in own_components.items()},
        "tags": list(own.get("tags") or []),
        "x-meridian-unrouted": [],
    }
    merged["components"].setdefault("securitySchemes", {})
    for service, spec in specs.items():
        if spec:
            _add_service(merged, service, spec, lambda path, s=service: owner(path) == s)
    merged["paths"] = dict(sorted(merged["paths"].items()))
    if not merged["x-meridian-unrouted"]:
        del merged["x-meridian-unrouted"]
    return merged
