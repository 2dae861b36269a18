"""Every failure becomes a page in the user's language: never a stack trace or a blank page."""

from __future__ import annotations

import logging

from flask import Flask, redirect, render_template, session
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .api import SignInRequired, Unavailable
from .identity import sign_in_url

log = logging.getLogger(__name__)


def _page(status: int, title: str, message: str):
    return render_template("error.html", title=title, message=message, status=status), status


def install(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(SignInRequired)
    def _expired(_exc):
        session.pop("claims", None)
        session.pop("token", None)
        return redirect(sign_in_url())

    @app.errorhandler(Unavailable)
    def _unavailable(exc: Unavailable):
        body = render_template("try_again.html", retry_after=exc.retry_after)
        return body, 503, {"Retry-After": str(exc.retry_after)}

    @app.errorhandler(CSRFError)
    def _csrf(_exc):
        return _page(400, _("This form has expired"),
                     _("Please go back, reload the page and send the form again."))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        titles = {
            403: _("You may not see this page"),
            404: _("Page not found"),
            405: _("This page cannot be used that way"),
            413: _("The file is too large"),
        }
        title = titles.get(exc.code, _("Something is wrong with the request"))
        return _page(exc.code or 400, title, _("Go back to the home page and try again."))

    @app.errorhandler(Exception)
    def _crash(exc: Exception):
        log.exception("portal page failed")
        return _page(500, _("Something went wrong on our side"),
                     _("The problem has been logged. Please try again in a moment."))
