"""Use cases of institutions: register, change, read and list."""

from __future__ import annotations

from meridian_common.events.envelope import utcnow
from meridian_common.ids import new_id

from ..domain import institutions as rules
from ..domain.institutions import Institution
from ..domain.permissions import can_manage_institutions
from ..domain.refusals import Forbidden, NotFound
from ..events.payloads import institution_event
from .ports import CatalogPorts, Identify, Precondition


def _require_admin(identify: Identify) -> None:
    if not can_manage_institutions(identify()):
        raise Forbidden("Only platform admins manage institutions.")


def get_institution(ports: CatalogPorts, institution_id: str) -> Institution:
    """The institution, or NotFound."""
    institution = ports.institutions.get(institution_id)
    if institution is None:
        raise NotFound("institution", institution_id)
    return institution


def list_institutions(ports: CatalogPorts, args: dict) -> tuple[list[Institution], int]:
    """One page of institutions, optionally of one alliance or country."""
    return ports.institutions.page(args.get("alliance"), args.get("country"), args["page"],
                                   args["per_page"])


def register_institution(ports: CatalogPorts, identify: Identify, fields: dict) -> Institution:
    """Register an institution (platform admins) and announce it."""
    _require_admin(identify)
    institution, change = rules.register(new_id("ins"), utcnow(), fields)
    ports.institutions.add(institution, [institution_event(t, institution)
                                         for t in change.events])
    return institution


def patch_institution(ports: CatalogPorts, identify: Identify, institution_id: str,
                      fields: dict, precondition: Precondition | None = None) -> Institution:
    """Change an institution (platform admins) and announce the new state."""
    _require_admin(identify)
    institution = get_institution(ports, institution_id)
    if precondition is not None:
        precondition(institution)
    change = rules.edit(fields)
    return ports.institutions.update(
        institution, change.fields,
        lambda new: [institution_event(t, new) for t in change.events])
