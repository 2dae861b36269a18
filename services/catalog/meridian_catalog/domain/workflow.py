"""The course life cycle as a state machine: draft → published → archived."""

from __future__ import annotations

from datetime import datetime

from meridian_common.conflicts import Conflict
from meridian_common.events.types import COURSE_ARCHIVED, COURSE_PUBLISHED

from .change import Change

# action: (from status, to status, timestamp field it stamps, event it causes)
TRANSITIONS = {
    "publish": ("draft", "published", "published_at", COURSE_PUBLISHED),
    "archive": ("published", "archived", "archived_at", COURSE_ARCHIVED),
}


class TransitionRefused(Conflict):
    """The course is not in the state the action starts from."""

    def __init__(self, action: str, current: str):
        expected = TRANSITIONS[action][0]
        super().__init__("invalid_state",
                         f"Cannot {action} a course that is {current}; it must be {expected}.")
        self.action = action
        self.current = current


def next_status(action: str, current: str) -> str:
    """The status after `action`, or TransitionRefused."""
    expected, target, _stamp, _event = TRANSITIONS[action]
    if current != expected:
        raise TransitionRefused(action, current)
    return target


def transition(action: str, current: str, now: datetime) -> Change:
    """The fields `action` sets on a course in status `current` and the event it causes."""
    status = next_status(action, current)
    _from, _to, stamp, event = TRANSITIONS[action]
    return Change({"status": status, stamp: now}, (event,))


def is_publicly_visible(status: str) -> bool:
    """Anyone may read published courses; drafts and archives are for course admins."""
    return status == "published"
