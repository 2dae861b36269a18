"""The gateway's routing and public-access tables (pure)."""

import pytest

from meridian_gateway.access import is_public
from meridian_gateway.paths import PathRule, compile_template, has_dot_segment, sample_path
from meridian_gateway.routes import SERVICES, Route, resolve


@pytest.mark.parametrize(("path", "service"), [
    ("/api/v1/institutions", "catalog"),
    ("/api/v1/institutions/abc", "catalog"),
    ("/api/v1/courses", "catalog"),
    ("/api/v1/courses/", "catalog"),
    ("/api/v1/courses/c1", "catalog"),
    ("/api/v1/courses/c1/publish", "catalog"),
    ("/api/v1/courses/c1/offerings", "catalog"),
    ("/api/v1/offerings/o1", "catalog"),
    ("/api/v1/offerings/o1/cancel", "catalog"),
    ("/api/v1/offerings/o1/enrollments", "enrollment"),
    ("/api/v1/offerings/o1/enrollments/bulk", "enrollment"),
    ("/api/v1/offerings/o1/roster", "enrollment"),
    ("/api/v1/offerings/o1/draw", "enrollment"),
    ("/api/v1/enrollments/e1", "enrollment"),
    ("/api/v1/me/enrollments", "enrollment"),
    ("/api/v1/enrollment-jobs/job1", "enrollment"),
    ("/api/v1/faculty-invitations/i1/accept", "catalog"),
    ("/api/v1/me/faculty-invitations", "catalog"),
    ("/api/v1/offerings/o1/sessions", "classroom"),
    ("/api/v1/offerings/o1/slot-suggestions", "classroom"),
    ("/api/v1/offerings/o1/meeting-provider", "classroom"),
    ("/api/v1/sessions/s1", "classroom"),
    ("/api/v1/sessions/s1/join", "classroom"),
    ("/api/v1/sessions/s1/attendance", "classroom"),
    ("/api/v1/me/timetable", "classroom"),
    ("/api/v1/me/calendar-feed", "classroom"),
    ("/api/v1/calendar/tok123.ics", "classroom"),
])
def test_every_documented_path_reaches_its_owner(path, service):
    route = resolve(path)
    assert route is not None and route.service == service


@pytest.mark.parametrize("path", [
    "/api/v1",
    "/api/v1/",
    "/api/v1/unknown",
    "/api/v1/coursesx",
    "/api/v1/offerings",
    "/api/v1/offerings/o1/unknown",
    "/api/v1/offerings/o1/roster/extra",
    "/api/v1/me",
    "/api/v1/me/other",
    "/api/v2/courses",
    "/courses",
])
def test_paths_no_service_owns_resolve_to_nothing(path):
    assert resolve(path) is None


@pytest.mark.parametrize("path", [
    "/api/v1/courses/../me/enrollments",
    "/api/v1/offerings/../sessions/s1",
    "/api/v1/courses/./c1",
    "/api/v1/offerings/..",
])
def test_dot_segments_are_never_routed(path):
    assert has_dot_segment(path)
    assert resolve(path) is None


def test_the_first_matching_entry_wins():
    table = (Route("a", PathRule("/x", subtree=True)), Route("b", PathRule("/x/y")))
    assert resolve("/x/y", table).service == "a"


def test_the_table_only_names_the_four_services():
    assert SERVICES == {"catalog", "enrollment", "classroom", "notifications"}


def test_templates_match_one_segment_per_placeholder():
    pattern = compile_template("/a/{id}/b")
    assert pattern.match("/a/1/b")
    assert not pattern.match("/a/1/2/b")
    assert not pattern.match("/a//b")
    assert compile_template("/c/{token}.ics").match("/c/abc.ics")
    assert not compile_template("/c/{token}.ics").match("/c/abc.icsx")


def test_labels_and_samples_are_bounded_names():
    assert PathRule("/api/v1/courses", subtree=True).label == "/api/v1/courses/**"
    assert PathRule("/api/v1/offerings/{id}").label == "/api/v1/offerings/{id}"
    assert sample_path("/api/v1/offerings/{offering_id}/roster") == "/api/v1/offerings/x/roster"


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics"),
    ("GET", "/api/v1/openapi.json"), ("GET", "/api/docs"),
    ("POST", "/api/v1/auth/dev-token"),
    ("GET", "/api/v1/institutions"), ("GET", "/api/v1/institutions/i1"),
    ("GET", "/api/v1/courses"), ("HEAD", "/api/v1/courses/c1"),
    ("GET", "/api/v1/courses/c1/offerings"),
    ("GET", "/api/v1/offerings/o1"),
    ("GET", "/api/v1/calendar/secret-token.ics"),
])
def test_public_reads(method, path):
    assert is_public(method, path)


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/api/v1/institutions"),
    ("POST", "/api/v1/courses"),
    ("PATCH", "/api/v1/courses/c1"),
    ("PATCH", "/api/v1/offerings/o1"),
    ("POST", "/api/v1/offerings/o1/cancel"),
    ("GET", "/api/v1/offerings/o1/roster"),
    ("GET", "/api/v1/offerings/o1/sessions"),
    ("GET", "/api/v1/me/enrollments"),
    ("GET", "/api/v1/me/timetable"),
    ("GET", "/api/v1/calendar/a/b.ics"),
    ("GET", "/api/v1/calendar/token"),
    ("GET", "/api/v1/auth/dev-token"),
    ("OPTIONS", "/api/v1/courses"),
])
def test_everything_else_needs_a_token(method, path):
    assert not is_public(method, path)
