"""`/healthz` (alive) and `/readyz` (the session store answers) for probes."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Alive: answers without asking anyone else."""
    return jsonify({"status": "ok", "service": "portal"})


@bp.get("/readyz")
def readyz():
    """Ready when the session store answers a PING (without sessions nobody can sign in)."""
    store = current_app.config.get("SESSION_REDIS")
    try:
        if store is not None:
            store.ping()
    except Exception:  # any failure of the store means not ready
        response = jsonify({"status": "not_ready", "checks": {"sessions": "unavailable"}})
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return response
    return jsonify({"status": "ready", "checks": {"sessions": "ok"}})
