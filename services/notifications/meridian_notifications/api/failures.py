"""/api/v1/notifications/failures: deliveries given up for good, shown to platform admins."""

from __future__ import annotations

from flask_smorest import Blueprint

from meridian_common.web.auth import current_principal
from meridian_common.web.errors import ApiError
from meridian_common.web.http import PageArgs, page_response

from .common import inbox
from .schemas import FailuresPage
from .views import failure_view

blp = Blueprint("notification_failures", __name__, url_prefix="/api/v1/notifications",
                description="Failed notification deliveries (platform admins).")


@blp.route("/failures")
@blp.arguments(PageArgs, location="query")
@blp.response(200, FailuresPage)
@blp.doc(security=[{"bearerAuth": []}])
def list_failures(args):
    """E-mails the mail server refused for good (5xx) or that ran out of retries, newest
    first, with the last error (docs/ops/notifications.md says what to do)."""
    if not current_principal().is_admin:
        raise ApiError(403, "Only platform admins see failed deliveries.", code="forbidden")
    items, total = inbox().failures(args["page"], args["per_page"])
    return page_response([failure_view(n) for n in items], args, total)
