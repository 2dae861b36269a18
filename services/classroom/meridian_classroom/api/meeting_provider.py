"""/api/v1/offerings/{id}/meeting-provider: where an offering's live sessions take place."""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from ..application import meetings
from ..application.ports import ProviderChoice
from .common import caller, classroom, classroom_config, utc_text
from .schemas.access import MeetingProviderIn, MeetingProviderOut

blp = Blueprint("meeting_provider", __name__, url_prefix="/api/v1/offerings",
                description="The meeting provider of an offering (an addition to API.md).")


def _view(offering_id: str, choice: ProviderChoice):
    return jsonify({"offering_id": offering_id, "provider": choice.provider, "url": choice.url,
                    "public_room": choice.public_room, "configured": choice.configured,
                    "updated_at": utc_text(choice.updated_at)})


@blp.route("/<offering_id>/meeting-provider")
class MeetingProvider(MethodView):
    @blp.response(200, MeetingProviderOut)
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self, offering_id):
        """The offering's provider, or the deployment default (course faculty)."""
        return _view(offering_id, meetings.current(classroom(), caller(), offering_id))

    @blp.arguments(MeetingProviderIn)
    @blp.response(200, MeetingProviderOut)
    @blp.doc(security=[{"bearerAuth": []}])
    def put(self, data, offering_id):
        """Choose BigBlueButton, Jitsi (signed, or a public room by explicit choice) or an
        external meeting URL (course faculty)."""
        config = classroom_config()
        choice = meetings.choose(classroom(), caller(), offering_id, data, meetings.Availability(
            bbb=config.bbb_configured, signed_jitsi=config.jitsi_signed))
        return _view(offering_id, choice)
