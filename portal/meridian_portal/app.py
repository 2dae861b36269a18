"""The portal's app factory: `create_app(config=None)`, no work at import time."""

from __future__ import annotations

import uuid

import redis
from flask import Flask
from flask_session import Session
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from . import bell, errors, i18n, invitations_nav, pickers, security
from .api import ApiClient
from .settings import PortalSettings
from .views import (
    account,
    admin,
    attendance,
    auth,
    calendar,
    courses,
    health,
    home,
    invitations,
    meeting,
    notifications,
    scheduling,
    teach,
    timetable,
)


def _sessions(app: Flask, settings: PortalSettings, store) -> None:
    app.config.update(
        SESSION_COOKIE_NAME="meridian_session", SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=settings.secure_cookies,
        SESSION_PERMANENT=True, PERMANENT_SESSION_LIFETIME=settings.session_hours * 3600,
        SESSION_KEY_PREFIX="meridian-portal:",
        # Write the session only when it changed: one Redis round trip less on most pages.
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    if store is None:
        app.config.update(SESSION_TYPE="redis",
                          SESSION_REDIS=redis.Redis.from_url(settings.session_redis_url,
                                                             socket_timeout=1.0,
                                                             socket_connect_timeout=1.0))
    else:
        app.config.update(SESSION_TYPE="cachelib", SESSION_CACHELIB=store)
    Session(app)


def create_app(config: dict | None = None, *, session_store=None) -> Flask:
    """Build the portal; `config` overrides settings, `session_store` (a cachelib cache)
    replaces Redis in unit tests."""
    settings = PortalSettings.load(config)
    # Not /static: the gateway in front has a Flask static route of its own there.
    app = Flask(__name__, static_url_path="/assets")
    # The gateway in front says which host and scheme the browser used.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    app.config.update(SECRET_KEY=settings.secret_key, MERIDIAN_PORTAL=settings,
                      MAX_CONTENT_LENGTH=1024 * 1024, WTF_CSRF_TIME_LIMIT=None)
    app.extensions["meridian.api"] = ApiClient(settings.api_url, settings.api_timeout_seconds)
    _sessions(app, settings, session_store)
    CSRFProtect(app)
    app.jinja_env.globals["new_key"] = lambda: uuid.uuid4().hex
    i18n.install(app)
    security.install(app)
    errors.install(app)
    bell.install(app)
    invitations_nav.install(app)
    pickers.install(app)
    for module in (health, auth, home, courses, timetable, attendance, calendar, teach,
                   scheduling, admin, notifications, account, invitations,
                   meeting):
        app.register_blueprint(module.bp)
    if settings.dev_auth:
        from .views import devauth

        app.register_blueprint(devauth.bp)
    if settings.oidc_enabled:
        from .views import oidc

        oidc.install(app, settings)
    return app
