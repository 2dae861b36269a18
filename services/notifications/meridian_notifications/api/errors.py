"""How the use cases' refusals leave the API: problem+json with the right status."""

from __future__ import annotations

from flask import Flask

from meridian_common.web.errors import problem_response

from ..application.errors import NotFound, StaleVersion
from ..domain.preferences import InvalidPreferences


def register(app: Flask) -> None:
    """Map NotFound to 404, invalid preferences to 422 and a lost race to a retryable 409."""

    @app.errorhandler(NotFound)
    def _not_found(_exc: NotFound):
        return problem_response(404, "No such notification resource.", code="not_found")

    @app.errorhandler(InvalidPreferences)
    def _invalid(exc: InvalidPreferences):
        return problem_response(422, "The preferences are not valid.", code="validation",
                                errors=exc.errors)

    @app.errorhandler(StaleVersion)
    def _stale(_exc: StaleVersion):
        return problem_response(409, "The preferences changed at the same time; try again.",
                                code="concurrent_update", headers={"Retry-After": "1"})
