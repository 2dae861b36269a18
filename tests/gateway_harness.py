"""Helpers for testing the gateway against real HTTP servers."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, Response, jsonify, request, url_for
from werkzeug.serving import make_server

CALENDAR_CHUNK = b"BEGIN:VEVENT\r\nSUMMARY:Lecture\r\nEND:VEVENT\r\n" * 1024


class LiveServer:
    """A WSGI app served on a free 127.0.0.1 port from a background thread."""

    def __init__(self, app):
        # werkzeug's server closes every connection; pooling is tested against gunicorn.
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


@contextlib.contextmanager
def refused_url() -> Iterator[str]:
    """A URL whose port is bound but not listening, so connecting is refused at once."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


def dev_key_pair(directory: Path) -> tuple[Path, Path]:
    """Create (or reuse) an RS256 key pair in the files `meridian dev-keys` writes."""
    private_path, public_path = directory / "dev-jwt-private.pem", directory / "dev-jwt-public.pem"
    if not private_path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        private_path.write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        public_path.write_bytes(key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return private_path, public_path


def _echo() -> Response:
    return jsonify({
        "service": request.environ["echo.service"], "method": request.method,
        "path": request.path, "query": request.query_string.decode(),
        "client_port": request.environ.get("REMOTE_PORT"),
        "headers": dict(request.headers), "body": request.get_data(as_text=True),
    })


def echo_app(service: str, *, spec: dict | None = None) -> Flask:
    """A stand-in service that echoes requests back, plus a few paths with special answers."""
    # READY drives /readyz; /api/v1/sessions/slow sets ENTERED, then waits for RELEASE.
    app = Flask(f"echo_{service}")
    app.config.update(READY=True, ENTERED=threading.Event(), RELEASE=threading.Event())
    app.wsgi_app = _with_service(app.wsgi_app, service)

    @app.get("/readyz")
    def readyz():
        return ("", 200) if app.config["READY"] else ("", 503)

    @app.get("/openapi.json")
    def openapi():
        return jsonify(spec) if spec is not None else ("", 404)

    @app.route("/api/v1/courses/<course_id>", methods=["GET", "HEAD"])
    def course(course_id):
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(f'{{"id": "{course_id}"}}', mimetype="application/json",
                        headers={"ETag": '"v1"'})

    @app.post("/api/v1/courses")
    def create_course():
        response = _echo()
        response.status_code = 201
        response.headers["Location"] = url_for("course", course_id="c1", _external=True)
        response.headers.add("Set-Cookie", "a=1")
        response.headers.add("Set-Cookie", "b=2")
        return response

    @app.post("/api/v1/courses/conflict")
    def conflict():
        return Response('{"status": 409, "title": "Conflict"}', status=409,
                        mimetype="application/problem+json", headers={"Retry-After": "7"})

    @app.get("/api/v1/calendar/<token>.ics")
    def calendar(token):
        return Response((CALENDAR_CHUNK for _ in range(8)), mimetype="text/calendar")

    @app.get("/api/v1/sessions/slow")
    def slow():
        app.config["ENTERED"].set()
        app.config["RELEASE"].wait(timeout=30)
        return jsonify({"slow": True})

    app.add_url_rule("/<path:_path>", "echo", lambda _path: _echo(),
                     methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
    return app


def _with_service(wsgi_app, service: str):
    def wrapped(environ, start_response):
        environ["echo.service"] = service
        return wsgi_app(environ, start_response)

    return wrapped


def gateway_config(upstreams: dict[str, str], key_dir: Path, **overrides) -> dict:
    """`create_app` overrides for a gateway in front of `upstreams`, with dev auth on."""
    private_key, public_key = dev_key_pair(key_dir)
    return {
        "profile": "test", "upstreams": upstreams, "dev_auth": True,
        "dev_auth_private_key_file": str(private_key), "jwt_public_key_file": str(public_key),
        "jwt_jwks_url": "", "jwt_issuer": "meridian-dev", "jwt_audience": "meridian",
        "ready_upstreams": ",".join(upstreams), "rate_limit_storage": "memory://",
        # Limits stay on (every test runs through them) but high: tests send bursts.
        "rate_limit_default": "10000/second", "rate_limit_ip": "10000/second",
        "rate_limit_enrollment": "10000/second",
        "rate_limit_bulk": "10000/second",
        # API only: these gateways do not forward other paths to the stack's portal.
        "portal_url": "", **overrides,
    }


def dev_token(client, **identity) -> str:
    """A bearer token from the gateway's dev-token endpoint (`client` is a Flask test client)."""
    body = {"sub": "user-1", "roles": ["student"], "timezone": "Europe/London", **identity}
    response = client.post("/api/v1/auth/dev-token", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["access_token"]
