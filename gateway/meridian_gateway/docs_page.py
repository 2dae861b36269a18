"""A self-contained HTML page for the merged OpenAPI document (no scripts, no CDN)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, render_template_string

from .openapi_merge import HTTP_METHODS
from .paths import sample_path

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ info.title }}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td{padding:.3rem .5rem;vertical-align:top;
border-top:1px solid #ddd}code{font-size:14px}.m{font-weight:600;width:5rem}
.get{color:#0a6}.post{color:#06c}.patch,.put{color:#a60}.delete{color:#c22}
.warn{background:#fff4d6;padding:.5rem}summary{cursor:pointer;color:#555}small{color:#777}
</style></head><body>
<h1>{{ info.title }} <small>{{ info.version }}</small></h1>
<p>{{ info.description }}</p>
<p>Machine-readable document: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>
(open it in Swagger UI, Redoc or a client generator).</p>
{% if missing %}<p class="warn">Missing right now (service unavailable):
{{ missing|join(", ") }}.</p>{% endif %}
{% for tag, operations in groups %}<h2>{{ tag }}</h2><table>
{% for op in operations %}<tr><td class="m {{ op.method }}">{{ op.method|upper }}</td>
<td><code>{{ op.path }}</code><details><summary>details</summary>
{% for p in op.parameters %}<div><code>{{ p.name }}</code> <small>in {{ p.in }}
{{ "required" if p.required }}</small></div>{% endfor %}
{% if op.body %}<div>body: <code>{{ op.body }}</code></div>{% endif %}
{% for code, text in op.responses %}<div><code>{{ code }}</code> {{ text }}</div>{% endfor %}
</details></td><td>{{ op.summary }}</td>
<td>{{ "public" if op.public else "bearer token" }}</td></tr>
{% endfor %}</table>{% endfor %}
</body></html>"""


def _schema_name(content: dict | None) -> str | None:
    for media in (content or {}).values():
        ref = (media.get("schema") or {}).get("$ref", "")
        return ref.rsplit("/", 1)[-1] or "inline schema"
    return None


def _operation(path: str, method: str, op: dict, item: dict,
               public: Callable[[str, str], bool]) -> dict:
    responses = [(code, value.get("description", value.get("$ref", "").rsplit("/", 1)[-1]))
                 for code, value in (op.get("responses") or {}).items()]
    return {
        "method": method, "path": path, "summary": op.get("summary", ""),
        "public": public(method.upper(), sample_path(path)),
        "parameters": [p for p in item.get("parameters", []) + op.get("parameters", [])
                       if "name" in p],
        "body": _schema_name((op.get("requestBody") or {}).get("content")),
        "responses": sorted(responses),
    }


def _groups(document: dict, public: Callable[[str, str], bool]) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for path, item in document.get("paths", {}).items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                tag = (op.get("tags") or ["other"])[0]
                groups.setdefault(tag, []).append(_operation(path, method, op, item, public))
    return sorted(groups.items())


def render_docs(document: dict, public: Callable[[str, str], bool]) -> Response:
    """The browsable page for `document`; `public` says which operations need no token."""
    statuses = document.get("x-meridian-services", {})
    html = render_template_string(
        _PAGE, info=document.get("info", {}), groups=_groups(document, public),
        missing=[name for name, status in statuses.items() if status == "unavailable"])
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
