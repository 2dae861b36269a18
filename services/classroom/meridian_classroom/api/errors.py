"""How the use cases' refusals leave the API: problem+json with the right status."""

from __future__ import annotations

from flask import Flask

from meridian_common.web.errors import conflict_response, problem_response

from ..application.errors import Forbidden, NotFound, ScheduleBusy, Unavailable, Unprocessable


def register(app: Flask) -> None:
    """Map application errors to 403/404/422/503 and a busy schedule to a retryable 409."""

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound):
        return problem_response(404, str(exc), code="not_found")

    @app.errorhandler(Forbidden)
    def _forbidden(exc: Forbidden):
        return problem_response(403, str(exc), code="forbidden")

    @app.errorhandler(Unprocessable)
    def _unprocessable(exc: Unprocessable):
        return problem_response(422, str(exc), code=exc.code, errors=exc.errors)

    @app.errorhandler(Unavailable)
    def _unavailable(exc: Unavailable):
        return problem_response(503, str(exc), code="meeting_provider_unavailable",
                                headers={"Retry-After": "5"})

    @app.errorhandler(ScheduleBusy)
    def _busy(exc: ScheduleBusy):
        response = conflict_response(exc)
        response.headers["Retry-After"] = "1"
        return response
