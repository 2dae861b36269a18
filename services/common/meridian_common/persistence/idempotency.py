"""`Idempotency-Key` for creating writes: the same key and body within 24 h replays the answer.

A key is claimed by an insert under a unique `_id` (atomic on MongoDB and FerretDB alike), so
two concurrent retries cannot both create; the claimer alone later stores the answer.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import timedelta

from flask import Response, make_response, request
from pymongo.errors import DuplicateKeyError, OperationFailure

from ..conflicts import Conflict
from ..events.envelope import as_utc, utcnow
from ..web.auth import current_principal
from ..web.errors import ApiError, conflict_response, problem_response
from . import db

HEADER = "Idempotency-Key"
COLLECTION = "idempotency_keys"
RETENTION = timedelta(hours=24)
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
        collection = db.database()[COLLECTION]
        fingerprint = _fingerprint()
        try:
            collection.insert_one({"_id": claim_id, "fingerprint": fingerprint,
                                   "created_at": utcnow(), "state": "pending"})
        except DuplicateKeyError:
            stored = collection.find_one({"_id": claim_id}) or {}
            fresh = stored and as_utc(stored["created_at"]) > utcnow() - RETENTION
            if fresh and stored.get("fingerprint") != fingerprint:
                raise ApiError(422, "This Idempotency-Key was used with a different request.",
                               code="idempotency_key_reused") from None
            if fresh and stored.get("state") == "done":
                return _replay(stored["response"])
            if fresh:
                raise ApiError(409, "A request with this Idempotency-Key is still in progress.",
                               code="idempotency_in_progress",
                               headers={"Retry-After": "1"}) from None
            collection.delete_one({"_id": claim_id, "created_at": stored.get("created_at")})
            return wrapper(*args, **kwargs)
        try:
            response = make_response(view(*args, **kwargs))
        except ApiError as exc:
            # A refusal is an answer too: a retry with the same key gets the same refusal.
            response = problem_response(exc.status, exc.detail, code=exc.code, errors=exc.errors,
                                        headers=exc.headers, **exc.extra)
        except Conflict as exc:
            response = conflict_response(exc)
        except BaseException:
            collection.delete_one({"_id": claim_id})
            raise
        if response.status_code >= 500:
            collection.delete_one({"_id": claim_id})
            return response
        collection.update_one({"_id": claim_id}, {"$set": {"state": "done", "response": {
            "status": response.status_code, "body": response.get_data(),
            "headers": {h: response.headers[h] for h in _REPLAYED_HEADERS
                        if h in response.headers}}}})
        return response

    return wrapper
