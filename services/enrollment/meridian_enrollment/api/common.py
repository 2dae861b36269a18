"""Helpers shared by the enrollment blueprints: refusals as problems, loading, answering."""

from __future__ import annotations

import functools
import re

from flask import Response

from meridian_common.web.auth import Principal, current_principal
from meridian_common.web.errors import ApiError
from meridian_common.web.http import etag_for, with_etag

from ..actions.readmodels import load_offering
from ..domain.refusals import CONFLICT, NOT_ALLOWED, NOT_FOUND, UNPROCESSABLE, Refusal
from ..ledger import waitlist
from ..models import Enrollment, EnrollmentOfferingView
from ..schemas import EnrollmentOut

STATUS_OF = {NOT_FOUND: 404, NOT_ALLOWED: 403, CONFLICT: 409, UNPROCESSABLE: 422}
_USER_ID = re.compile(r"^[A-Za-z0-9._:@|+-]{1,128}$")
_out = EnrollmentOut()


def api_error(refusal: Refusal) -> ApiError:
    """The problem+json error for a domain refusal."""
    extra = dict(refusal.extra)
    headers = extra.pop("headers", None)
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


def load_offering_or_404(offering_id: str) -> EnrollmentOfferingView:
    """The offering's read model, or 404 when the catalog never announced it."""
    offering = load_offering(offering_id)
    if offering is None:
        raise ApiError(404, f"No offering with id '{offering_id}'.", code="not_found")
    return offering


def load_enrollment(enrollment_id: str) -> Enrollment:
    """The enrollment, or 404."""
    enrollment = Enrollment.objects(id=enrollment_id).first()
    if enrollment is None:
        raise ApiError(404, f"No enrollment with id '{enrollment_id}'.", code="not_found")
    return enrollment


def position_of(enrollment: Enrollment) -> int | None:
    """The enrollment's current waitlist position (None unless it waits)."""
    if enrollment.status != "waitlisted" or enrollment.ticket is None:
        return None
    return waitlist.position(enrollment.offering_id, enrollment.ticket)


def dump_enrollment(enrollment: Enrollment, position: int | None = None) -> dict:
    """The public view of an enrollment."""
    payload = _out.dump(enrollment)
    payload["waitlist_position"] = position
    return payload


_UNKNOWN = object()


def answer_enrollment(enrollment: Enrollment, status: int = 200, position=_UNKNOWN) -> Response:
    """Answer one enrollment with an ETag that also covers its waitlist position."""
    if position is _UNKNOWN:
        position = position_of(enrollment)
    response = with_etag(dump_enrollment(enrollment, position),
                         etag_for("Enrollment", enrollment.id, enrollment.version, position),
                         status=status)
    if status == 201:
        response.headers["Location"] = f"/api/v1/enrollments/{enrollment.id}"
    return response
