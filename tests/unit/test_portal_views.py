"""Portal views without a browser or servers: an in-memory fake of the API port."""

from __future__ import annotations

import re
from concurrent.futures import Future

import pytest
from cachelib import SimpleCache
from meridian_portal.api import Answer, Unavailable
from meridian_portal.app import create_app


class FakeApi:
    """Answers by (method, path); records every call."""

    def __init__(self):
        self.answers: dict[tuple[str, str], Answer | Exception] = {}
        self.calls: list[tuple[str, str, dict | None]] = []
        self.headers: list[dict | None] = []

    def call(self, method, path, *, token=None, json=None, params=None, headers=None,
             raw=False):
        self.calls.append((method, path, json))
        self.headers.append(headers)
        answer = self.answers.get((method, path.split("?")[0]), Answer(404, {}))
        if isinstance(answer, Exception):
            raise answer
        return answer

    def get_many(self, paths, *, token=None):
        return [self.call("GET", path, token=token) for path in paths]

    timeout = 1.0

    def submit(self, path, *, token=None):
        done: Future = Future()
        try:
            done.set_result(self.call("GET", path, token=token))
        except Exception as exc:
            done.set_exception(exc)
        return done


@pytest.fixture
def fake():
    return FakeApi()


@pytest.fixture
def app(fake):
    made = create_app({"dev_auth": True}, session_store=SimpleCache())
    made.config.update(WTF_CSRF_ENABLED=False)
    made.extensions["meridian.api"] = fake
    return made


def _sign_in(client, fake, **extra):
    fake.answers[("POST", "/api/v1/auth/dev-token")] = Answer(
        200, {"access_token": "a.e30.b", "expires_in": 3600})
    form = {"sub": "oxford-lead", "roles": "instructor", "timezone": "Europe/London",
            "locale": "en", **extra}
    return client.post("/dev/sign-in", data=form)


def test_dev_sign_in_starts_a_session_and_follows_only_local_next(app, fake):
    client = app.test_client()
    response = _sign_in(client, fake, next="/timetable?from=2027-03-01")
    assert response.status_code == 302 and response.location == "/timetable?from=2027-03-01"
    token_calls = [c for c in fake.calls if c[1] == "/api/v1/auth/dev-token"]
    assert token_calls[-1][2] == {"sub": "oxford-lead", "roles": ["instructor"],
                                  "timezone": "Europe/London", "locale": "en"}
    # Every sign-in reads the notification preferences (the service records the token).
    assert fake.calls[-1][:2] == ("GET", "/api/v1/me/notification-preferences")
    assert _sign_in(client, fake, next="https://evil.example/").location == "/"
    assert _sign_in(client, fake, next="//evil.example/").location == "/"


def test_signed_out_pages_send_to_sign_in_and_back(app):
    response = app.test_client().get("/timetable?from=2027-03-01&to=2027-03-31")
    assert response.status_code == 302
    assert response.location == "/sign-in?next=/timetable?from%3D2027-03-01%26to%3D2027-03-31"


def test_an_api_refusing_the_token_means_sign_in_again(app, fake):
    from meridian_portal.api import SignInRequired

    client = app.test_client()
    _sign_in(client, fake)
    fake.answers[("GET", "/api/v1/me/timetable")] = SignInRequired()
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/sign-in?next=/")


def test_an_upstream_outage_is_a_try_again_page_with_retry_after(app, fake):
    client = app.test_client()
    _sign_in(client, fake)
    fake.answers[("GET", "/api/v1/me/timetable")] = Unavailable(7)
    response = client.get("/timetable")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "7"
    assert '<meta http-equiv="refresh" content="7">' in response.text
    assert "Traceback" not in response.text


def test_a_crash_is_a_page_never_a_stack_trace(app, fake):
    fake.answers[("GET", "/api/v1/courses")] = ZeroDivisionError("boom")
    response = app.test_client().get("/courses")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "boom" not in response.text and "Traceback" not in response.text


def test_forms_need_a_csrf_token(fake):
    app = create_app({"dev_auth": True}, session_store=SimpleCache())
    app.extensions["meridian.api"] = fake
    response = app.test_client().post("/dev/sign-in", data={"sub": "x", "roles": "student"})
    assert response.status_code == 400
    assert "This form has expired" in response.text
    assert fake.calls == []


def test_pages_carry_a_strict_policy_and_the_users_language(app, fake):
    client = app.test_client()
    _sign_in(client, fake, locale="zh-Hans")
    fake.answers[("GET", "/api/v1/courses")] = Answer(200, {"items": [], "total": 0})
    response = client.get("/courses")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["Cache-Control"] == "no-store"
    assert '<html lang="zh-Hans"' in response.text and "课程" in response.text
    assert not re.search(r"<script>(?!</script>)", response.text)


def test_schedule_shows_api_field_errors_and_conflicts_next_to_the_form(app, fake):
    client = app.test_client()
    _sign_in(client, fake)
    fake.answers[("GET", "/api/v1/offerings/o1")] = Answer(200, {
        "id": "o1", "term": "T", "timezone": "Europe/London", "course_id": "c1"})
    fake.answers[("GET", "/api/v1/courses/c1")] = Answer(200, {"id": "c1", "faculty": [
        {"user_id": "oxford-lead", "role": "lead"}, {"user_id": "oxford-ta", "role": "ta"}]})
    fake.answers[("GET", "/api/v1/offerings/o1/roster")] = Answer(200, {"confirmed": [
        {"student_id": "s1", "institution_id": "ins_cc"},
        {"student_id": "s2", "institution_id": "ins_cc"}], "waitlisted": [
        {"student_id": "s3", "institution_id": "ins_la"}]})
    fake.answers[("GET", "/api/v1/institutions/ins_cc")] = Answer(200, {
        "id": "ins_cc", "timezone": "Asia/Shanghai"})
    fake.answers[("GET", "/api/v1/institutions/ins_la")] = Answer(200, {
        "id": "ins_la", "timezone": "Africa/Lagos"})
    page = client.get("/offerings/o1/schedule")
    # The cohort's zones come from its students' own institutions, read by id, most first.
    gets = [path for method, path, _b in fake.calls if method == "GET"]
    assert "/api/v1/institutions/ins_cc" in gets and "/api/v1/institutions/ins_la" in gets
    assert not any(path.startswith("/api/v1/institutions?") for path in gets)
    assert page.text.index("Asia/Shanghai") < page.text.index("Africa/Lagos")
    # The picker lists the course's faculty; the signed-in lead is ticked.
    assert re.search(r'value="oxford-lead"\s+checked', page.text)
    assert re.search(r'value="oxford-ta"\s*>', page.text)
    form = {"kind": "lecture", "title": "Anatomy", "start": "2027-03-22T08:00",
            "timezone": "Europe/London", "duration_minutes": "60", "repeat": "none",
            "count": "1", "action": "save", "instructors": ["oxford-lead", "oxford-ta"]}
    fake.answers[("POST", "/api/v1/offerings/o1/sessions")] = Answer(422, {
        "errors": {"duration_minutes": ["Must be between 5 and 720 minutes (12 hours)."]}})
    response = client.post("/offerings/o1/schedule", data=form)
    assert fake.calls[-1][2]["instructors"] == ["oxford-lead", "oxford-ta"]
    assert response.status_code == 422
    assert re.search(r'id="duration_minutes"[^>]*aria-invalid="true"', response.text)
    assert "Must be between 5 and 720 minutes" in response.text
    fake.answers[("POST", "/api/v1/offerings/o1/sessions")] = Answer(409, {"conflicts": [
        {"occurrence": 0, "start": "2027-03-22T08:00:00Z", "reasons": ["instructor"],
         "conflicting_title": "Ward round", "conflicting_start": "2027-03-22T07:30:00Z"},
        {"occurrence": 1, "start": "2027-03-29T07:00:00Z", "reasons": ["cohort"],
         "conflicting_title": "Ward round", "conflicting_start": "2027-03-29T06:30:00Z"}]})
    response = client.post("/offerings/o1/schedule", data={**form, "repeat": "weekly",
                                                             "count": "2"})
    assert response.status_code == 409
    assert "Ward round" in response.text and "an instructor is busy" in response.text
    items = re.findall(r"<li>\s*(Occurrence \d+) at ([^<]*?) clashes", response.text)
    assert [(n, t.strip().replace("\u202f", " ")) for n, t in items] == [
        ("Occurrence 1", "Mon, Mar 22, 2027, 8:00 AM"),
        ("Occurrence 2", "Mon, Mar 29, 2027, 8:00 AM")]


def test_the_portals_own_checks_run_before_the_api(app, fake):
    client = app.test_client()
    _sign_in(client, fake)
    fake.answers[("GET", "/api/v1/offerings/o1")] = Answer(200, {"id": "o1", "term": "T"})
    response = client.post("/offerings/o1/schedule", data={"kind": "lecture", "title": "",
                                                            "start": "later"})
    assert response.status_code == 422
    assert "This field is required." in response.text
    assert not any(call[1].endswith("/sessions") for call in fake.calls)


def _visit(**extra):
    return {"id": "att_1", "session_id": "ses_1", "offering_id": "off_1",
            "session_title": "Operative surgery", "session_kind": "lecture",
            "session_start": "2027-03-22T09:00:00Z", "session_end": "2027-03-22T10:00:00Z",
            "joined_at": "2027-03-22T08:50:00Z", "left_at": "2027-03-22T09:47:00Z",
            "duration_minutes": 57, **extra}


def test_my_attendance_lists_visits_in_the_viewers_zone(app, fake):
    client = app.test_client()
    _sign_in(client, fake, sub="stu", roles="student", timezone="Asia/Shanghai")
    fake.answers[("GET", "/api/v1/me/attendance")] = Answer(200, {
        "items": [_visit(), _visit(id="att_2", left_at=None, duration_minutes=None)],
        "page": 1, "per_page": 50, "total": 2})
    response = client.get("/attendance")
    assert response.status_code == 200
    assert fake.calls[-1][:2] == ("GET", "/api/v1/me/attendance")
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", response.text, re.S)
    assert len(rows) == 2 and "Operative surgery" in rows[0]
    cells = [re.sub(r"\s", " ", c) for c in re.findall(r"<td>(.*?)</td>", rows[0])]
    assert cells == ["Mon, Mar 22, 2027, 5:00 PM \u2013 6:00 PM", "Mon, Mar 22, 2027, 4:50 PM",
                     "Mon, Mar 22, 2027, 5:47 PM", "57"]
    assert rows[1].count("not reported") == 2
    assert 'href="/attendance"' in response.text, "linked from the navigation"
    assert "Older" not in response.text


def test_my_attendance_has_an_empty_state_in_chinese(app, fake):
    client = app.test_client()
    _sign_in(client, fake, sub="stu", roles="student", locale="zh-Hans")
    fake.answers[("GET", "/api/v1/me/attendance")] = Answer(200, {
        "items": [], "page": 1, "per_page": 50, "total": 0})
    response = client.get("/attendance")
    assert response.status_code == 200
    assert "我的出勤" in response.text and "您尚未加入任何直播课次。" in response.text


def test_my_attendance_pages_through_older_visits(app, fake):
    client = app.test_client()
    _sign_in(client, fake, sub="stu", roles="student")
    fake.answers[("GET", "/api/v1/me/attendance")] = Answer(200, {
        "items": [_visit()], "page": 2, "per_page": 50, "total": 120})
    response = client.get("/attendance?page=2")
    assert 'href="/attendance?page=1"' in response.text
    assert 'href="/attendance?page=3"' in response.text
    assert client.get("/attendance?page=zero").status_code == 200
