"""/api/v1/offerings/{id}/slot-suggestions: start times that are humane in everyone's zone."""

from __future__ import annotations

from datetime import timedelta

from flask import jsonify
from flask_smorest import Blueprint

from ..domain import rotation
from ..domain.slots import Candidate, SlotQuery, rank
from ..participants import zone_groups
from ..readmodels import offering_context
from ..schemas.slots import SlotRequestIn, SlotSuggestionsOut
from .common import caller, require_manage, utc_text

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
    context = offering_context(offering_id)
    require_manage(context, caller())
    anchor = data.get("timezone") or context.offering.timezone
    span = (data["to"] - data["from_"]).days + 1
    days = tuple(data["from_"] + timedelta(days=i) for i in range(span))
    groups, breakdown = zone_groups(context)
    query = SlotQuery(anchor_zone=anchor, days=days, duration_minutes=data["duration_minutes"],
                      earliest=data["earliest_local"], latest=data["latest_local"],
                      step_minutes=data["step_minutes"])
    ranked = rank(query, groups)
    total = breakdown["total"]
    return jsonify({
        "offering_id": offering_id, "timezone": anchor, "days": span,
        "participants": breakdown,
        "candidates": [_candidate(c, anchor, total, span) for c in ranked[:data["limit"]]],
        "rotation": _rotation(rotation.plan(ranked, data["occurrences"], span))})
