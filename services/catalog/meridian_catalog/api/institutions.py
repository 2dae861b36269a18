"""/api/v1/institutions: the members of alliances that provide and take courses."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from meridian_common.events.envelope import utcnow
from meridian_common.ids import new_id
from meridian_common.persistence.idempotency import idempotent
from meridian_common.persistence.outbox import insert_with_events, update_with_events
from meridian_common.persistence.paging import paginate
from meridian_common.web.auth import current_principal
from meridian_common.web.http import check_if_match, page_response

from ..domain.permissions import can_manage_institutions
from ..events.payloads import institution_event
from ..models import Institution
from ..schemas import InstitutionIn, InstitutionOut, InstitutionPatch, InstitutionQuery, page_schema
from .common import answer, etag_of, forbidden, not_found

blp = Blueprint("institutions", __name__, url_prefix="/api/v1/institutions",
                description="Institutions and the alliances they belong to.")
_out = InstitutionOut()


def _require_admin() -> None:
    if not can_manage_institutions(current_principal()):
        raise forbidden("Only platform admins manage institutions.")


def load_institution(institution_id: str) -> Institution:
    """The institution or a 404."""
    institution = Institution.current(id=institution_id).first()
    if institution is None:
        raise not_found("institution", institution_id)
    return institution


@blp.route("")
class Institutions(MethodView):
    @blp.arguments(InstitutionQuery, location="query")
    @blp.response(200, page_schema(InstitutionOut, "InstitutionPage"))
    def get(self, args):
        """List institutions, optionally by alliance or country."""
        query = {}
        if "alliance" in args:
            query["alliances"] = args["alliance"]
        if "country" in args:
            query["country"] = args["country"]
        items, total = paginate(Institution.current(**query).order_by("name", "id"),
                                args["page"], args["per_page"])
        return page_response(_out.dump(items, many=True), args, total)

    @blp.arguments(InstitutionIn)
    @blp.response(201, InstitutionOut)
    @blp.doc(security=[{"bearerAuth": []}])
    @idempotent
    def post(self, data):
        """Register an institution (platform admins)."""
        _require_admin()
        now = utcnow()
        institution = Institution(id=new_id("ins"), version=1, created_at=now, updated_at=now,
                                  **data)
        insert_with_events(institution, institution_event("created", institution))
        return answer(_out.dump(institution), institution, 201,
                      f"/api/v1/institutions/{institution.id}")


@blp.route("/<institution_id>")
class InstitutionById(MethodView):
    @blp.response(200, InstitutionOut)
    def get(self, institution_id):
        """One institution."""
        institution = load_institution(institution_id)
        return answer(_out.dump(institution), institution)

    @blp.arguments(InstitutionPatch)
    @blp.response(200, InstitutionOut)
    @blp.doc(security=[{"bearerAuth": []}])
    def patch(self, data, institution_id):
        """Change an institution (platform admins); `If-Match` honoured."""
        _require_admin()
        institution = load_institution(institution_id)
        check_if_match(etag_of(institution))
        update_with_events(institution, data, lambda doc: [institution_event("updated", doc)])
        return answer(_out.dump(institution), institution)
