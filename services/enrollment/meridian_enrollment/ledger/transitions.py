"""State changes of an existing enrollment: one claimed writer per version, one write each."""

from __future__ import annotations

from collections.abc import Callable

from meridian_common.errors import ApiError
from meridian_common.store import update_with_event

from ..models import Enrollment
from .claims import abandon_transition, begin_transition


class Contended(Exception):
    """Another writer holds (or just made) this enrollment's next transition."""


def begin(enrollment: Enrollment, action: str) -> None:
    """Claim the enrollment's next version for `action`, or raise Contended."""
    if not begin_transition(enrollment.id, enrollment.version, action):
        raise Contended(enrollment.id)


def commit(enrollment: Enrollment, changes: dict,
           build_event: Callable[[Enrollment], dict]) -> Enrollment:
    """Write `changes` and their event in one version-guarded update (after `begin`).

    A failure other than Contended leaves the claim to the repair sweep, since the write may
    or may not have landed.
    """
    from_version = enrollment.version
    try:
        update_with_event(enrollment, changes, build_event)
    except ApiError as exc:
        # The guarded update matched nothing: the version had already moved on.
        abandon_transition(enrollment.id, from_version)
        raise Contended(enrollment.id) from exc
    return enrollment


def abandon(enrollment_id: str, from_version: int) -> None:
    """Let go of a claimed transition that will not happen."""
    abandon_transition(enrollment_id, from_version)


def transition(enrollment: Enrollment, action: str, changes: dict,
               build_event: Callable[[Enrollment], dict]) -> Enrollment:
    """`begin` and `commit` in one go, for changes that need no other claim in between."""
    begin(enrollment, action)
    return commit(enrollment, changes, build_event)
