"""The gateway's app factory: `create_app(config=None)`, no work at import time."""

from __future__ import annotations

from flask import Flask

from meridian_common.config import load_settings
from meridian_common.web.auth import TokenVerifier
from meridian_common.web.errors import register_error_handlers
from meridian_common.web.health import instrument
from meridian_common.web.logs import configure_logging
from meridian_common.web.request_ids import install_request_ids

from . import devtoken, docs, health, proxy
from .body_guard import SPECS_KEY, install_body_guard
from .client_ip import trust_proxies
from .cors import install_cors
from .guard import install_guard
from .metrics import route_label
from .openapi_own import own_spec
from .openapi_source import SpecCache
from .options import GatewayOptions
from .portal import install_portal, portal_url
from .ratelimit_options import RateLimitOptions
from .ratelimits import install_rate_limits
from .routes import SERVICES
from .security_headers import install_security_headers
from .token_cache import CachingVerifier
from .upstream import Upstreams


def create_app(config: dict | None = None) -> Flask:
    """Build the gateway; `config` overrides settings (tests point it at their own upstreams)."""
    settings = load_settings("gateway", config)
    if settings.profile == "production" and settings.dev_auth:
        raise RuntimeError("dev auth must not be switched on in the production profile")
    missing = sorted(SERVICES - set(settings.upstreams))
    if missing:
        raise ValueError(f"no upstream URL for the services: {', '.join(missing)}")
    options = GatewayOptions.from_settings(settings)
    limits = RateLimitOptions.from_settings(settings)
    configure_logging("gateway", settings.log_level)
    app = Flask(__name__)
    app.config.update(SERVICE_NAME="gateway", MERIDIAN_SETTINGS=settings,
                      MAX_CONTENT_LENGTH=settings.max_body_bytes)
    app.json.sort_keys = False
    trust_proxies(app, options.trusted_proxies)
    upstreams = Upstreams(settings.upstreams, connect_timeout=options.connect_timeout_seconds,
                          read_timeout=options.read_timeout_seconds,
                          max_inflight=options.upstream_max_inflight,
                          breaker_failures=options.breaker_failures,
                          breaker_open_seconds=options.breaker_open_seconds)
    verifier = TokenVerifier(settings)
    if options.token_cache_seconds > 0:
        verifier = CachingVerifier(verifier, ttl_seconds=options.token_cache_seconds)
    app.extensions["meridian.verifier"] = verifier
    app.extensions["meridian.upstreams"] = upstreams
    install_request_ids(app)
    # The gateway writes no access line per request: each service logs its own, with the id.
    instrument(app, "gateway", route_label=route_label, log_access=False)
    install_cors(app, options.cors_origins)
    # Order matters: who is calling, then their rate limit, then refusing a bad body or token.
    install_guard(app, between=lambda a: (install_rate_limits(a, limits), install_body_guard(a)))
    install_security_headers(app, hsts_seconds=options.hsts_seconds)
    app.register_blueprint(health.build_blueprint(upstreams, options.ready_upstreams))
    specs = SpecCache(lambda name: docs.fetch_spec(upstreams, name), settings.upstreams,
                      ttl_seconds=options.openapi_cache_seconds)
    app.extensions[SPECS_KEY] = specs
    app.register_blueprint(docs.build_blueprint(specs, own_spec(dev_auth=settings.dev_auth)))
    if settings.dev_auth:
        issuer = devtoken.DevTokenIssuer.from_settings(settings)
        app.register_blueprint(devtoken.build_blueprint(issuer))
    app.register_blueprint(proxy.bp)
    install_portal(app, portal_url(settings.extra), connect_timeout=options.connect_timeout_seconds,
                   read_timeout=options.portal_timeout_seconds)
    register_error_handlers(app)
    return app
