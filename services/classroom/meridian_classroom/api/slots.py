"""/api/v1/offerings/{id}/slot-suggestions: start times that are humane in everyone's zone."""

from __future__ import annotations

from flask import jsonify
from flask_smorest import Blueprint

from ..application import slots
from ..domain import rotation
from ..domain.slots import Candidate
from .common import caller, classroom, utc_text
from .schemas.slots import SlotRequestIn, SlotSuggestionsOut

blp = Blueprint("slot_suggestions", __name__, url_prefix="/api/v1/offerings",
                description="Fair-hours slot suggestions across time zones.")


def _candidate(candidate: Candidate, anchor: str, total: int, days: int) -> dict:
    return {
        "start_local": candidate.wall_time.strftime("%H:%M"), "timezone": anchor,
        "first_start": utc_text(candidate.first_start), "covered": candidate.covered,
        "total": total, "coverage": round(candidate.covered / total, 4) if total else 0.0,
        "participant_days_inside": candidate.participant_days,
        "zones": [{"timezone": fit.zone, "participants": fit.participants,
                   "local_start": fit.first_start.isoformat(),
                   "local_end": fit.first_end.isoformat(),
                   "local_start_times": fit.local_times, "inside_days": fit.inside_days,
                   "inside": fit.inside_every_day(days)} for fit in candidate.zones]}


def _rotation(plan: rotation.Rotation | None) -> dict | None:
    if plan is None:
        return None
    return {"slots": [slot.wall_time.strftime("%H:%M") for slot in plan.slots],
            "occurrences": plan.occurrences,
            "worst_share_outside": round(plan.worst_share_outside, 4),
            "average_share_outside": round(plan.average_share_outside, 4),
            "share_outside": {zone: round(share, 4)
                              for zone, share in sorted(plan.share_outside.items())}}


@blp.route("/<offering_id>/slot-suggestions", methods=["POST"])
@blp.arguments(SlotRequestIn)
@blp.response(200, SlotSuggestionsOut)
@blp.doc(security=[{"bearerAuth": []}])
def suggest(data, offering_id):
    """Daily start times ranked by how many confirmed students and faculty are inside their
    own acceptable local hours on every day of the range (DST included), with each zone's
    local time; for a series (`occurrences` > 1), a rotation that shares the bad hours."""
    found = slots.suggest(classroom(), caller(), offering_id, data)
    total = found.participants["total"]
    return jsonify({
        "offering_id": offering_id, "timezone": found.anchor, "days": found.days,
        "participants": found.participants,
        "candidates": [_candidate(c, found.anchor, total, found.days)
                       for c in found.candidates],
        "rotation": _rotation(found.rotation)})
