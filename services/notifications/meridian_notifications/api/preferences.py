"""/api/v1/me/notification-preferences: read and change one's own notification preferences."""

from __future__ import annotations

from flask_smorest import Blueprint

from meridian_common.web.auth import current_principal
from meridian_common.web.http import check_if_match, etag_for, with_etag

from ..application.ports import Identity
from ..domain.preferences import Channels, NotificationPreferences
from .common import preferences
from .schemas import PreferencesIn, PreferencesOut
from .views import preferences_view

blp = Blueprint("notification_preferences", __name__, url_prefix="/api/v1/me",
                description="The caller's notification preferences.")
_IGNORED = ("email", "name")


def _identity() -> Identity:
    principal = current_principal()
    return Identity(user_id=principal.user_id, email=principal.email, name=principal.name,
                    locale=principal.locale, timezone=principal.timezone)


def _etag(prefs: NotificationPreferences) -> str:
    return etag_for("notification-preferences", prefs.user_id, prefs.version, prefs.email,
                    prefs.name)


@blp.route("/notification-preferences")
@blp.response(200, PreferencesOut)
@blp.doc(security=[{"bearerAuth": []}])
def get_preferences():
    """The caller's preferences; records the address, name and locale their token carries
    (a token without `email` means notices reach the portal only)."""
    prefs = preferences().view(_identity())
    return with_etag(preferences_view(prefs), _etag(prefs))


@blp.route("/notification-preferences", methods=["PUT"])
@blp.arguments(PreferencesIn)
@blp.response(200, PreferencesOut)
@blp.doc(security=[{"bearerAuth": []}])
def put_preferences(body):
    """Change the caller's preferences (fields left out stay); 422 on invalid values, which
    change nothing; `If-Match` with a stale ETag is 412."""
    identity = _identity()
    service = preferences()
    check_if_match(_etag(service.view(identity)))
    changes = {k: v for k, v in body.items() if k not in _IGNORED}
    if "channels" in changes:
        changes["channels"] = Channels(**changes["channels"])
    prefs = service.change(identity, changes)
    return with_etag(preferences_view(prefs), _etag(prefs))
