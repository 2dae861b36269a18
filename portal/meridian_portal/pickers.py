"""Choices the portal's filter pickers show on every page view, kept for a minute per worker.

They are public catalog data, the same for every user, and change rarely; listing them sorted
costs the catalog a pass over every institution, which a search page should not pay each time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from flask import current_app

from .api import Answer

PICKER_SECONDS = 60
INSTITUTIONS = "/api/v1/institutions?per_page=100"
_KEY = "meridian.pickers"


@dataclass
class PickerCache:
    """The last good answer per API path and when it was fetched."""

    seconds: float = PICKER_SECONDS
    clock: object = time.monotonic
    kept: dict[str, tuple[float, list[dict]]] = field(default_factory=dict)

    def fresh(self, path: str) -> list[dict] | None:
        """The kept items for `path` while they are younger than `seconds`."""
        found = self.kept.get(path)
        if found and self.clock() - found[0] < self.seconds:
            return found[1]
        return None

    def keep(self, path: str, answer: Answer) -> list[dict]:
        """Remember a good answer's items; a failed one is shown as no choices, not kept."""
        if not answer.ok or not isinstance(answer.body, dict):
            return []
        items = list(answer.body.get("items", []))
        self.kept[path] = (self.clock(), items)
        return items


def install(app) -> None:
    """One cache per portal app (each gunicorn worker builds its own)."""
    app.extensions[_KEY] = PickerCache()


def picker_cache() -> PickerCache:
    """The current app's picker cache."""
    return current_app.extensions[_KEY]
