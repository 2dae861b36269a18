"""/api/v1/offerings/{id}/meeting-provider: where an offering's live sessions take place."""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from meridian_common.events.envelope import utcnow
from meridian_common.web.errors import ApiError

from ..meetings import ProviderChoice, provider_for
from ..models import MeetingSetting
from ..readmodels import offering_context
from ..schemas.access import MeetingProviderIn, MeetingProviderOut
from .common import caller, classroom_config, require_manage, utc_text

blp = Blueprint("meeting_provider", __name__, url_prefix="/api/v1/offerings",
                description="The meeting provider of an offering (an addition to API.md).")


def _view(offering_id: str, choice: ProviderChoice):
    return jsonify({"offering_id": offering_id, "provider": choice.provider, "url": choice.url,
                    "configured": choice.configured, "updated_at": utc_text(choice.updated_at)})


@blp.route("/<offering_id>/meeting-provider")
class MeetingProvider(MethodView):
    @blp.response(200, MeetingProviderOut)
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self, offering_id):
        """The offering's provider, or the deployment default (course faculty)."""
        require_manage(offering_context(offering_id), caller())
        return _view(offering_id, provider_for(offering_id, classroom_config()))

    @blp.arguments(MeetingProviderIn)
    @blp.response(200, MeetingProviderOut)
    @blp.doc(security=[{"bearerAuth": []}])
    def put(self, data, offering_id):
        """Choose BigBlueButton, Jitsi, or an external meeting URL (course faculty)."""
        principal = caller()
        require_manage(offering_context(offering_id), principal)
        if data["provider"] == "bbb" and not classroom_config().bbb_configured:
            raise ApiError(422, "BigBlueButton is not configured on this deployment.",
                           errors={"provider": ["BigBlueButton is not available here."]})
        now = utcnow()
        MeetingSetting._get_collection().replace_one(
            {"_id": offering_id}, {"provider": data["provider"], "url": data.get("url"),
                                   "updated_by": principal.user_id, "updated_at": now},
            upsert=True)
        return _view(offering_id, ProviderChoice(provider=data["provider"], url=data.get("url"),
                                                 configured=True, updated_at=now))
