"""The bell, the inbox and the settings page, with an in-memory fake of the API."""

from __future__ import annotations

import re

import pytest
from cachelib import SimpleCache
from meridian_portal.api import Answer, Unavailable
from meridian_portal.app import create_app
from meridian_portal.i18n import supported, text_direction
from meridian_portal.preferences import api_body, form_of

from tests.unit.test_portal_views import FakeApi, _sign_in

PREFS = "/api/v1/me/notification-preferences"
INBOX = "/api/v1/me/notifications"
STORED = {"email": "helen@oxford.example", "locale": "en", "timezone": "Europe/London",
          "channels": {"email": True, "portal": True}, "reminders_minutes": [1440, 60, 30],
          "digest": "off"}


@pytest.fixture
def fake():
    return FakeApi()


@pytest.fixture
def client(fake):
    made = create_app({"dev_auth": True}, session_store=SimpleCache())
    made.config.update(WTF_CSRF_ENABLED=False)
    made.extensions["meridian.api"] = fake
    signed_in = made.test_client()
    _sign_in(signed_in, fake)
    return signed_in


def _notice(n: int, read: bool = False) -> dict:
    return {"id": f"ntf_{n}", "kind": "session.rescheduled", "subject": f"Notice {n}",
            "body": f"Body {n}\n\n-- \nUnsubscribe: https://x.example/u/{n}",
            "created_at": f"2027-03-0{n}T09:00:00Z", "link": "/timetable",
            "read_at": "2027-03-09T00:00:00Z" if read else None, "read": read, "data": {}}


def test_the_bell_shows_the_unread_count_and_hides_when_the_service_is_away(client, fake):
    fake.answers[("GET", INBOX)] = Answer(200, {"items": [_notice(1)], "total": 3,
                                                "unread_count": 3})
    page = client.get("/timetable")
    assert re.search(r'class="count" aria-hidden="true">3<', page.text)
    assert "Notifications: 3 unread" in page.text
    assert ("GET", INBOX + "?unread=true&per_page=1", None) in fake.calls
    fake.answers[("GET", INBOX)] = Unavailable(5)
    page = client.get("/courses")
    assert page.status_code == 200 and 'class="bell"' not in page.text


def test_the_inbox_lists_newest_first_and_marks_read(client, fake):
    fake.answers[("GET", INBOX)] = Answer(200, {"items": [_notice(3), _notice(2, read=True)],
                                                "total": 2, "page": 1, "per_page": 20})
    page = client.get("/notifications")
    assert page.status_code == 200
    assert page.text.index("Notice 3") < page.text.index("Notice 2")
    assert page.text.count("Mark as read") == 1  # only the unread one offers it
    assert "Body 3" in page.text and "Unsubscribe" not in page.text  # no mail signature
    fake.answers[("POST", INBOX + "/ntf_3/read")] = Answer(200, {"id": "ntf_3"})
    done = client.post("/notifications/ntf_3/read", data={"next": "/notifications?page=1"})
    assert done.status_code == 302 and done.location == "/notifications?page=1"
    assert ("POST", INBOX + "/ntf_3/read", {}) in fake.calls


def test_a_missing_notifications_service_is_a_polite_page_never_a_500(client, fake):
    fake.answers[("GET", INBOX)] = Answer(404, {})
    fake.answers[("GET", PREFS)] = Answer(404, {})
    for path in ("/notifications", "/settings"):
        page = client.get(path)
        assert page.status_code == 503
        assert "cannot be shown right now" in page.text


def test_settings_save_sends_only_editable_fields(client, fake):
    fake.answers[("GET", PREFS)] = Answer(200, STORED)
    page = client.get("/settings")
    assert "helen@oxford.example" in page.text
    assert re.search(r'id="reminder-1440"[^>]*checked', page.text)
    assert re.search(r'id="other_reminders"[^>]*value="30"', page.text)
    fake.answers[("PUT", PREFS)] = Answer(200, {**STORED, "timezone": "Asia/Shanghai"})
    saved = client.post("/settings", data={
        "email_channel": "on", "reminders": ["60", "1440"], "other_reminders": "15, 30",
        "digest": "daily", "locale": "zh-Hans", "timezone": "Asia/Shanghai"})
    assert saved.status_code == 302
    assert fake.calls[-1] == ("PUT", PREFS, {
        "channels": {"email": True, "portal": False}, "reminders_minutes": [1440, 60, 30, 15],
        "digest": "daily", "locale": "zh-Hans", "timezone": "Asia/Shanghai"})
    # The portal follows the saved language and zone.
    fake.answers[("GET", PREFS)] = Answer(200, {**STORED, "locale": "zh-Hans",
                                                "timezone": "Asia/Shanghai"})
    after = client.get("/settings")
    assert '<html lang="zh-Hans" dir="ltr">' in after.text
    # The header's switcher says so too (the settings page once shadowed its language list).
    assert re.search(r'<option value="zh_Hans"[^>]*selected', after.text)
    assert re.search(r'<option value="zh-Hans"[^>]*selected', after.text)
    assert re.search(r'<footer class="bottom">\s*<p>[^<]*\(Asia/Shanghai\)', after.text)


def test_the_apis_422_appears_next_to_its_field(client, fake):
    fake.answers[("PUT", PREFS)] = Answer(422, {"errors": {"reminders_minutes": {
        "0": ["Each offset is between 0 and 10080 minutes (one week)."]}}})
    page = client.post("/settings", data={"portal_channel": "on", "other_reminders": "20000",
                                          "digest": "off", "locale": "en",
                                          "timezone": "Europe/London"})
    assert page.status_code == 422
    assert re.search(r'id="reminders_minutes"[^>]*aria-describedby="reminders_minutes-error"',
                     page.text)
    assert re.search(r'id="reminders_minutes-error">\s*<li>Each offset is between',
                     page.text)


def test_the_portals_own_checks_stop_bad_values_before_the_api(client, fake):
    page = client.post("/settings", data={"other_reminders": "soon", "digest": "off",
                                          "locale": "en", "timezone": "Mars/Olympus"})
    assert page.status_code == 422
    assert "Give reminder times in whole minutes" in page.text
    assert re.search(r'id="timezone"[^>]*aria-invalid="true"', page.text)
    assert not any(call[0] == "PUT" for call in fake.calls)


def test_form_mapping_round_trips():
    form = form_of(STORED)
    assert form["reminders"] == [1440, 60] and form["other_reminders"] == "30"
    assert api_body(form)["reminders_minutes"] == [1440, 60, 30]


def test_direction_follows_the_locale_so_arabic_can_follow():
    assert text_direction("ar") == "rtl" and text_direction("he") == "rtl"
    assert text_direction("zh_Hans") == "ltr" and text_direction("en") == "ltr"
    # A catalogue added for Arabic is picked up without code changes.
    assert supported("ar-EG", ("en", "zh_Hans", "ar")) == "ar"
    assert supported("ar-EG") is None


def test_a_change_made_meanwhile_is_not_overwritten(client, fake):
    fake.answers[("GET", PREFS)] = Answer(200, STORED, {"Etag": '"v1"'})
    page = client.get("/settings")
    assert 'name="etag" value="&#34;v1&#34;"' in page.text
    fake.answers[("PUT", PREFS)] = Answer(412, {"title": "Precondition Failed"})
    fake.answers[("GET", PREFS)] = Answer(200, {**STORED, "digest": "daily"}, {"ETag": '"v2"'})
    stale = client.post("/settings", data={"portal_channel": "on", "digest": "off",
                                           "locale": "en", "timezone": "Europe/London",
                                           "etag": '"v1"'})
    assert stale.status_code == 412
    put = next(i for i, c in enumerate(fake.calls) if c[0] == "PUT")
    assert fake.headers[put] == {"If-Match": '"v1"'}
    assert "changed elsewhere meanwhile" in stale.text
    assert re.search(r'id="digest-daily"[^>]*checked', stale.text)  # as stored now
    assert 'value="&#34;v2&#34;"' in stale.text


def test_sign_in_follows_the_zone_of_the_preferences(fake):
    made = create_app({"dev_auth": True}, session_store=SimpleCache())
    made.config.update(WTF_CSRF_ENABLED=False)
    made.extensions["meridian.api"] = fake
    fake.answers[("GET", PREFS)] = Answer(200, {**STORED, "timezone": "Europe/Berlin"})
    browser = made.test_client()
    _sign_in(browser, fake)
    page = browser.get("/notifications")
    assert re.search(r'<footer class="bottom">\s*<p>[^<]*\(Europe/Berlin\)', page.text)
