"""`Idempotency-Key` for creating writes: the same key and body within 24 h replays the answer.

The claim on a key (one attempt at a time, a lease, takeover after a crash) is in
idempotency_claims.py; this module is the Flask side: the decorator and the stored answers.
"""

from __future__ import annotations

import functools
import hashlib

from flask import Response, current_app, make_response, request
from pymongo.errors import OperationFailure

from ..conflicts import Conflict
from ..events.envelope import utcnow
from ..web.auth import current_principal
from ..web.errors import ApiError, conflict_response, problem_response
from . import db
from .idempotency_claims import BUSY, REPLAY, RETENTION, REUSED, KeyClaims, lease_for

HEADER = "Idempotency-Key"
COLLECTION = "idempotency_keys"
_REPLAYED_HEADERS = ("Location", "ETag", "Content-Type")
NOT_IMPLEMENTED = 238


def ensure_indexes() -> None:
    """Expire stored answers after the retention period (where the server supports TTL)."""
    collection = db.database()[COLLECTION]
    try:
        collection.create_index("created_at", expireAfterSeconds=int(RETENTION.total_seconds()))
    except OperationFailure as exc:
        if exc.code != NOT_IMPLEMENTED:
            raise
        # FerretDB 1.x has no TTL indexes: expired keys are ignored on read and purged below.
        collection.create_index("created_at")


def purge_expired() -> int:
    """Delete answers older than the retention period; returns how many went."""
    cutoff = utcnow() - RETENTION
    return db.database()[COLLECTION].delete_many({"created_at": {"$lt": cutoff}}).deleted_count


def _fingerprint() -> str:
    body = request.get_data(cache=True) or b""
    return hashlib.sha256(request.method.encode() + b" " + request.path.encode() + b"\n"
                          + body).hexdigest()


def _replay(stored: dict) -> Response:
    response = Response(stored["body"], status=stored["status"])
    for name, value in stored.get("headers", {}).items():
        response.headers[name] = value
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _claims() -> KeyClaims:
    settings = current_app.config["MERIDIAN_SETTINGS"]
    return KeyClaims(db.database()[COLLECTION], lease_for(settings.upstream_timeout_seconds))


def _refusal(verdict) -> Response:
    if verdict.action == REPLAY:
        return _replay(verdict.response)
    if verdict.action == REUSED:
        raise ApiError(422, "This Idempotency-Key was used with a different request.",
                       code="idempotency_key_reused")
    raise ApiError(409, "A request with this Idempotency-Key is still in progress.",
                   code="idempotency_in_progress",
                   headers={"Retry-After": str(verdict.retry_after)})


def idempotent(view):
    """Decorator for POST views that create things."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not (1 <= len(key) <= 200) or not key.isprintable():
            raise ApiError(422, "Idempotency-Key must be 1-200 printable characters.",
                           errors={HEADER: ["Invalid key."]})
        principal = current_principal(optional=True)
        owner = principal.user_id if principal else "anonymous"
        claim_id = hashlib.sha256(f"{owner}\n{request.path}\n{key}".encode()).hexdigest()
        claims = _claims()
        verdict = claims.claim(claim_id, _fingerprint())
        if verdict.action in (REPLAY, REUSED, BUSY):
            return _refusal(verdict)
        try:
            response = make_response(view(*args, **kwargs))
        except ApiError as exc:
            # A refusal is an answer too: a retry with the same key gets the same refusal.
            response = problem_response(exc.status, exc.detail, code=exc.code, errors=exc.errors,
                                        headers=exc.headers, **exc.extra)
        except Conflict as exc:
            response = conflict_response(exc)
        except BaseException:
            claims.release(claim_id, verdict.attempt)
            raise
        if response.status_code >= 500 or response.status_code == 404:
            # Retryable (an outage, a claim left by a crash), or a target this service does
            # not know (yet: read models follow events): the retry must run again. Neither
            # changed anything, so running again repeats nothing.
            claims.release(claim_id, verdict.attempt)
            return response
        claims.store(claim_id, verdict.attempt, {
            "status": response.status_code, "body": response.get_data(),
            "headers": {h: response.headers[h] for h in _REPLAYED_HEADERS
                        if h in response.headers}})
        return response

    return wrapper
