"""Who may manage what in the catalog."""

from __future__ import annotations

from typing import Protocol


class Caller(Protocol):
    user_id: str
    roles: frozenset[str]
    institution_id: str | None


def can_manage_institutions(caller: Caller | None) -> bool:
    """Only platform admins create or change institutions."""
    return caller is not None and "admin" in caller.roles


def can_manage_course(caller: Caller | None, provider_institution_id: str) -> bool:
    """Platform admins, and institution admins of the providing institution."""
    if caller is None:
        return False
    if "admin" in caller.roles:
        return True
    return ("institution_admin" in caller.roles
            and caller.institution_id is not None
            and caller.institution_id == provider_institution_id)
