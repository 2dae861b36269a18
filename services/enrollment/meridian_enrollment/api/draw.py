"""The lottery draw of an offering, run once by a course admin after enrollment closes."""

from __future__ import annotations

from flask import jsonify
from flask_smorest import Blueprint

from meridian_common.persistence.idempotency import idempotent
from meridian_common.web.auth import current_principal
from meridian_common.web.validation import UtcDateTime

from ..application.admission import offering_or_refuse
from ..application.draw import run_draw
from ..domain.lottery import how_to_verify
from ..domain.offering import Draw
from ..domain.permissions import is_course_admin
from .common import forbidden, ports, speaks_http
from .schemas import DrawIn, DrawOut

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
