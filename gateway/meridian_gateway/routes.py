"""Which service owns which `/api/v1` path: a declarative table, first match wins."""

from __future__ import annotations

from dataclasses import dataclass

from .paths import PathRule, has_dot_segment, sample_path


@dataclass(frozen=True)
class Route:
    """A path rule and the upstream service that answers it."""

    service: str
    rule: PathRule


def _route(service: str, template: str, *, subtree: bool = False) -> Route:
    return Route(service, PathRule(template, subtree=subtree))


# An offering belongs to the catalog, but some of its sub-resources live in the services that
# own their data, so those more specific entries are listed before the catalog's.
ROUTES: tuple[Route, ...] = (
    _route("enrollment", "/api/v1/offerings/{id}/enrollments", subtree=True),
    _route("enrollment", "/api/v1/offerings/{id}/roster"),
    _route("enrollment", "/api/v1/offerings/{id}/draw"),
    _route("classroom", "/api/v1/offerings/{id}/sessions"),
    _route("classroom", "/api/v1/offerings/{id}/slot-suggestions"),
    _route("classroom", "/api/v1/offerings/{id}/meeting-provider"),
    _route("catalog", "/api/v1/offerings/{id}"),
    _route("catalog", "/api/v1/offerings/{id}/cancel"),
    _route("catalog", "/api/v1/institutions", subtree=True),
    _route("catalog", "/api/v1/courses", subtree=True),
    _route("enrollment", "/api/v1/enrollments", subtree=True),
    _route("enrollment", "/api/v1/me/enrollments"),
    _route("enrollment", "/api/v1/enrollment-jobs", subtree=True),
    _route("catalog", "/api/v1/faculty-invitations", subtree=True),
    _route("catalog", "/api/v1/me/faculty-invitations"),
    _route("classroom", "/api/v1/sessions", subtree=True),
    _route("classroom", "/api/v1/me/timetable"),
    _route("classroom", "/api/v1/me/attendance"),
    _route("classroom", "/api/v1/me/calendar-feed", subtree=True),
    _route("classroom", "/api/v1/calendar", subtree=True),
    _route("notifications", "/api/v1/me/notification-preferences"),
    _route("notifications", "/api/v1/me/notifications", subtree=True),
    _route("notifications", "/api/v1/notifications", subtree=True),
    _route("notifications", "/api/v1/unsubscribe/{token}"),
)

SERVICES: frozenset[str] = frozenset(route.service for route in ROUTES)


def resolve(path: str, table: tuple[Route, ...] = ROUTES) -> Route | None:
    """The route that owns `path`, or None when no service does."""
    # `..` could make a path checked as public reach another resource once normalised upstream.
    if has_dot_segment(path):
        return None
    for route in table:
        if route.rule.matches(path):
            return route
    return None


def owner_of_template(path_template: str) -> str | None:
    """The service owning an OpenAPI path template such as `/api/v1/courses/{course_id}`."""
    route = resolve(sample_path(path_template))
    return route.service if route else None
