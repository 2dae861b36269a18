"""The course life cycle: draft → published → archived."""

from __future__ import annotations

TRANSITIONS = {
    "publish": ("draft", "published"),
    "archive": ("published", "archived"),
}


class TransitionRefused(Exception):
    """The course is not in the state the action starts from."""

    def __init__(self, action: str, current: str):
        expected, _ = TRANSITIONS[action]
        super().__init__(f"Cannot {action} a course that is {current}; it must be {expected}.")
        self.action = action
        self.current = current


def next_status(action: str, current: str) -> str:
    """The status after `action`, or TransitionRefused."""
    expected, target = TRANSITIONS[action]
    if current != expected:
        raise TransitionRefused(action, current)
    return target


def is_publicly_visible(status: str) -> bool:
    """Anyone may read published courses; drafts and archives are for course admins."""
    return status == "published"
