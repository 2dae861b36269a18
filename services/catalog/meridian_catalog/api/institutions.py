"""/api/v1/institutions: the members of alliances that provide and take courses."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from meridian_common.persistence.idempotency import idempotent
from meridian_common.web.http import page_response

from ..application import institutions as cases
from .common import answer, caller, if_match, ports, refusals
from .schemas import InstitutionIn, InstitutionOut, InstitutionPatch, InstitutionQuery, page_schema

blp = Blueprint("institutions", __name__, url_prefix="/api/v1/institutions",
                description="Institutions and the alliances they belong to.")
_out = InstitutionOut()


@blp.route("")
class Institutions(MethodView):
    @blp.arguments(InstitutionQuery, location="query")
    @blp.response(200, page_schema(InstitutionOut, "InstitutionPage"))
    def get(self, args):
        """List institutions, optionally by alliance or country."""
        items, total = cases.list_institutions(ports(), args)
        return page_response(_out.dump(items, many=True), args, total)

    @blp.arguments(InstitutionIn)
    @blp.response(201, InstitutionOut)
    @blp.doc(security=[{"bearerAuth": []}])
    @idempotent
    @refusals
    def post(self, data):
        """Register an institution (platform admins)."""
        institution = cases.register_institution(ports(), caller, data)
        return answer(_out.dump(institution), institution, 201,
                      f"/api/v1/institutions/{institution.id}")


@blp.route("/<institution_id>")
class InstitutionById(MethodView):
    @blp.response(200, InstitutionOut)
    @refusals
    def get(self, institution_id):
        """One institution."""
        institution = cases.get_institution(ports(), institution_id)
        return answer(_out.dump(institution), institution)

    @blp.arguments(InstitutionPatch)
    @blp.response(200, InstitutionOut)
    @blp.doc(security=[{"bearerAuth": []}])
    @refusals
    def patch(self, data, institution_id):
        """Change an institution (platform admins); `If-Match` honoured."""
        institution = cases.patch_institution(ports(), caller, institution_id, data, if_match)
        return answer(_out.dump(institution), institution)
