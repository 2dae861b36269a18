"""The lottery draw of an offering, run once by a course admin after enrollment closes."""

from __future__ import annotations

from flask import jsonify
from flask_smorest import Blueprint

from meridian_common.persistence.idempotency import idempotent
from meridian_common.web.auth import current_principal
from meridian_common.web.validation import UtcDateTime

from ..application import queries
from ..application.admission import course_staff, offering_or_refuse
from ..application.draw import run_draw
from ..domain.lottery import how_to_verify
from ..domain.offering import Draw
from ..domain.permissions import is_course_admin, is_course_staff
from ..domain.refusals import NOT_FOUND, Refusal
from .common import forbidden, ports, speaks_http
from .schemas import DrawIn, DrawOut, DrawReadOut

blp = Blueprint("draw", __name__, url_prefix="/api/v1",
                description="Fair, reproducible selection for lottery offerings.")
_time = UtcDateTime()


def dump_draw(draw: Draw) -> dict:
    """The public record of a draw, with what anyone needs to re-run it."""
    quotas = dict(draw.quotas)
    return {"offering_id": draw.offering_id, "seed": draw.seed, "algorithm": draw.algorithm,
            "applicants": [dict(a) for a in draw.applicants],
            "applicants_digest": draw.applicants_digest, "places": draw.places,
            "quotas": quotas, "selected": list(draw.selected),
            "waitlisted": list(draw.waitlisted),
            "how_to_verify": how_to_verify(draw.seed, draw.places, quotas),
            "drawn_by": draw.drawn_by, "drawn_at": _time._serialize(draw.created_at, None, None),
            "complete": draw.applied_at is not None}


# Other students' ids are kept from students; the rest of a draw is public.
_STAFF_ONLY = ("applicants", "selected", "waitlisted", "drawn_by")


def dump_public_draw(draw: Draw, staff: bool) -> dict:
    """A draw as its reader may see it: counts for everyone, the id lists for course staff."""
    full = dump_draw(draw)
    full["counts"] = {name: len(full[name]) for name in ("applicants", "selected", "waitlisted")}
    return full if staff else {k: v for k, v in full.items() if k not in _STAFF_ONLY}


@blp.route("/offerings/<offering_id>/draw", methods=["GET"])
@blp.response(200, DrawReadOut)
@blp.doc(security=[{"bearerAuth": []}])
@speaks_http
def read_draw(offering_id):
    """The draw's seed, counts and how to re-run it, for the offering's students and staff.

    Course staff and admins also get the applicant, selected and waitlisted ids.
    """
    caller = current_principal()
    offering = offering_or_refuse(ports(), offering_id)
    staff = is_course_staff(caller, course_staff(ports(), offering),
                            offering.provider_institution_id)
    if not staff and not queries.student_enrollments(ports(), caller.user_id, offering.id):
        raise forbidden("Only the offering's students, the course's staff and admins see "
                        "its draw.")
    draw = ports().draws.get(offering.id) if offering.is_lottery else None
    if draw is None:
        raise Refusal(NOT_FOUND, "not_drawn", f"Offering '{offering.id}' has no lottery draw "
                      "(yet).")
    return jsonify(dump_public_draw(draw, staff))


@blp.route("/offerings/<offering_id>/draw", methods=["POST"])
@blp.arguments(DrawIn)
@blp.response(200, DrawOut)
@blp.doc(security=[{"bearerAuth": []}])
@idempotent
@speaks_http
def draw(data, offering_id):
    """Draw the lottery (`seed` optional, `quotas`: at most N selected per institution).

    A draw runs once: calling again without a seed, or with the same seed, returns it.
    """
    caller = current_principal()
    offering = offering_or_refuse(ports(), offering_id)
    if not is_course_admin(caller, offering.provider_institution_id):
        raise forbidden("Only admins of the providing institution run the draw.")
    result = run_draw(ports(), offering, data.get("seed"), data.get("quotas"), caller.user_id)
    return jsonify(dump_draw(result))
