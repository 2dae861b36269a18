"""Helpers shared by the enrollment blueprints: the ports, refusals as problems, answering."""

from __future__ import annotations

import functools
import logging
import re

from flask import Response, current_app

from meridian_common.web.auth import Principal, current_principal
from meridian_common.web.errors import ApiError
from meridian_common.web.http import etag_for, with_etag
from meridian_common.web.validation import UtcDateTime

from ..application.ports import Ports
from ..domain.lifecycle import Enrollment
from ..domain.offering import DrawOutline
from ..domain.refusals import (
    CONFLICT,
    NOT_ALLOWED,
    NOT_FOUND,
    UNAVAILABLE,
    UNPROCESSABLE,
    Refusal,
)
from .schemas import EnrollmentOut

log = logging.getLogger(__name__)
PORTS = "meridian_enrollment.ports"
STATUS_OF = {NOT_FOUND: 404, NOT_ALLOWED: 403, CONFLICT: 409, UNPROCESSABLE: 422,
             UNAVAILABLE: 503}
_USER_ID = re.compile(r"^[A-Za-z0-9._:@|+-]{1,128}$")
_out = EnrollmentOut()
_time = UtcDateTime()


def ports() -> Ports:
    """The application's ports, as wired by the app factory."""
    return current_app.extensions[PORTS]


def api_error(refusal: Refusal) -> ApiError:
    """The problem+json error for a domain refusal."""
    extra = dict(refusal.extra)
    headers = extra.pop("headers", None)
    if refusal.kind == UNAVAILABLE:
        # The access log shows a 503; this line says which wait ran out.
        log.warning("answered 503 %s: %s", refusal.code, refusal.detail)
    return ApiError(STATUS_OF[refusal.kind], refusal.detail, code=refusal.code,
                    headers=headers, **extra)


def speaks_http(view):
    """Decorator: domain refusals leave the view as ApiErrors (which @idempotent stores)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except Refusal as refusal:
            raise api_error(refusal) from refusal

    return wrapper


def forbidden(detail: str, code: str = "forbidden") -> ApiError:
    """The 403 for an authenticated caller without the right."""
    return ApiError(403, detail, code=code)


def enrollable_caller() -> Principal:
    """The calling student, whose user id can be stored as a student id."""
    principal = current_principal()
    if not principal.has_role("student"):
        raise forbidden("Only students enroll themselves; institution admins use the bulk "
                        "endpoint.", code="forbidden_role")
    if not _USER_ID.match(principal.user_id):
        raise ApiError(422, "Your user id cannot be used as a student id.",
                       errors={"sub": ["Use 1-128 letters, digits or . _ : @ | + -"]})
    return principal


def dump_enrollment(enrollment: Enrollment, position: int | None = None) -> dict:
    """The public view of an enrollment."""
    payload = _out.dump(enrollment)
    payload["waitlist_position"] = position
    return payload


def dump_with_draw(enrollment: Enrollment, position: int | None,
                   outlines: dict[str, DrawOutline]) -> dict:
    """The enrollment with its offering's draw (seed, time, this student's result) or null."""
    payload = dump_enrollment(enrollment, position)
    outline = outlines.get(enrollment.offering_id)
    payload["draw"] = None if outline is None else {
        "seed": outline.seed, "drawn_at": _time._serialize(outline.drawn_at, None, None),
        "selected": enrollment.student_id in outline.selected}
    return payload


def answer_enrollment(enrollment: Enrollment, position: int | None, status: int = 200,
                      outlines: dict[str, DrawOutline] | None = None) -> Response:
    """Answer one enrollment with an ETag that also covers its position (and draw, if asked)."""
    if outlines is None:
        body, seed = dump_enrollment(enrollment, position), None
    else:
        body = dump_with_draw(enrollment, position, outlines)
        seed = body["draw"] and body["draw"]["seed"]
    response = with_etag(body, etag_for("Enrollment", enrollment.id, enrollment.version,
                                        position, seed), status=status)
    if status == 201:
        response.headers["Location"] = f"/api/v1/enrollments/{enrollment.id}"
    return response
