"""Through the gateway on the real stack: preferences, the inbox, one-click unsubscribe,
admins' failures and the dev-token identity claims the notifications service records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from meridian_common.config import load_settings
from meridian_notifications.adapters.notifications import to_row
from meridian_notifications.domain.notification import new_notification
from meridian_notifications.domain.unsubscribe import unsubscribe_token
from tests.conftest import Client
from tests.support import env, make_token, unique, wait_for

PREFS = "/api/v1/me/notification-preferences"
INBOX = "/api/v1/me/notifications"
PROBLEM = "application/problem+json"


def _client(http, gateway_url, sub, **claims) -> Client:
    return Client(http, gateway_url, make_token(sub, ["student"], **claims))


@pytest.fixture
def notices(mongo_client):
    """Stores notifications in the service's own database, as the delivery pipeline would."""
    collection = mongo_client[load_settings("notifications").mongo_db]["notifications"]
    stored: list[str] = []

    def store(recipient, *, channel="portal", at=None, failed=False, subject="Session moved"):
        notice = new_notification(event_id=unique("ev-"), recipient=recipient, channel=channel,
                                  kind="session.rescheduled", subject=subject,
                                  body_text="Now at 15:00 (Asia/Shanghai)",
                                  now=at or datetime.now(UTC), link="/timetable",
                                  to_address="x@example.edu" if channel == "email" else None)
        if failed:
            notice = notice.failed("550 5.1.1 mailbox unknown", notice.created_at,
                                   permanent=True)
        collection.insert_one(to_row(notice))
        stored.append(notice.key)
        return notice.key

    yield store
    collection.delete_many({"_id": {"$in": stored}})


def test_preferences_start_from_the_token_and_record_its_identity(http, gateway_url):
    sub = unique("li-")
    me = _client(http, gateway_url, sub, email="li@example.cn", name="Li Wei",
                 locale="zh-Hans", timezone="Asia/Shanghai")
    response = me.get(PREFS)
    assert response.status_code == 200 and response.headers["ETag"]
    assert response.json() == {
        "email": "li@example.cn", "name": "Li Wei", "locale": "zh-Hans",
        "timezone": "Asia/Shanghai", "channels": {"email": True, "portal": True},
        "reminders_minutes": [1440, 60], "digest": "off", "email_deliverable": True,
        "updated_at": None}
    # A new sign-in with another address, name and locale: recorded on the next call, and
    # followed until the user chooses a language of their own.
    renamed = _client(http, gateway_url, sub, email="wei.li@example.cn", name="Wei Li",
                      locale="en-GB", timezone="Asia/Shanghai")
    again = renamed.get(PREFS).json()
    assert (again["email"], again["name"], again["locale"]) == ("wei.li@example.cn", "Wei Li",
                                                                "en")
    assert renamed.request("PUT", PREFS, json={"locale": "zh-Hans"}).status_code == 200
    assert renamed.get(PREFS).json()["locale"] == "zh-Hans"


def test_preferences_round_trip_keeps_what_was_not_sent(http, gateway_url):
    me = _client(http, gateway_url, unique("u-"), email="a@example.org", timezone="UTC")
    before = me.get(PREFS).json()
    body = {**before, "timezone": "Europe/London", "reminders_minutes": [30, 1440, 0],
            "digest": "daily", "locale": "zh-hans"}
    del body["email_deliverable"], body["updated_at"]
    changed = me.request("PUT", PREFS, json=body)
    assert changed.status_code == 200, changed.text
    stored = me.get(PREFS).json()
    assert (stored["timezone"], stored["reminders_minutes"], stored["digest"],
            stored["locale"]) == ("Europe/London", [1440, 30, 0], "daily", "zh-Hans")
    partial = me.request("PUT", PREFS, json={"channels": {"email": False, "portal": True}})
    assert partial.json()["digest"] == "daily" and partial.json()["channels"]["email"] is False
    assert partial.json()["email_deliverable"] is False


def test_a_put_records_the_token_identity_too(http, gateway_url):
    me = _client(http, gateway_url, unique("u-"), email="first@example.org", name="First")
    assert me.request("PUT", PREFS, json={"digest": "daily"}).json()["email"] == \
        "first@example.org"


def test_a_later_token_without_email_keeps_the_recorded_address(http, gateway_url):
    sub = unique("u-")
    _client(http, gateway_url, sub, email="kept@example.org", name="Kept").get(PREFS)
    body = _client(http, gateway_url, sub).get(PREFS).json()
    assert body["email"] == "kept@example.org" and body["name"] == "Kept"
    assert body["email_deliverable"] is True


def test_a_token_without_email_means_portal_only(http, gateway_url):
    body = _client(http, gateway_url, unique("u-")).get(PREFS).json()
    assert body["email"] is None and body["email_deliverable"] is False
    assert body["channels"]["portal"] is True


@pytest.mark.parametrize(("body", "field"), [
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"locale": "fr-FR"}, "locale"),
    ({"reminders_minutes": [-10]}, "reminders_minutes"),
    ({"reminders_minutes": [20000]}, "reminders_minutes"),
    ({"reminders_minutes": [60, 60]}, "reminders_minutes"),
    ({"reminders_minutes": ["60"]}, "reminders_minutes"),
    ({"digest": "hourly"}, "digest"),
    ({"channels": {"email": "yes", "portal": True}}, "channels"),
    ({"channels": {"email": True, "portal": 0}}, "channels"),
    ({"channels": {"email": True, "portal": True, "sms": True}}, "channels"),
    ({"nickname": "x"}, "nickname"),
])
def test_invalid_preferences_are_422_and_change_nothing(http, gateway_url, body, field):
    me = _client(http, gateway_url, unique("u-"), email="b@example.org")
    me.request("PUT", PREFS, json={"digest": "daily"})
    before = me.get(PREFS).json()
    response = me.request("PUT", PREFS, json={"timezone": "Asia/Tokyo", **body})
    assert response.status_code == 422, response.text
    assert response.headers["Content-Type"].startswith(PROBLEM)
    assert field in response.json()["errors"]
    assert me.get(PREFS).json() == before


def test_a_put_without_any_field_is_422(http, gateway_url):
    me = _client(http, gateway_url, unique("u-"))
    for answer in (me.request("PUT", PREFS, json={}), me.request("PUT", PREFS)):
        assert answer.status_code == 422, answer.text


def test_a_stale_if_match_is_412(http, gateway_url):
    me = _client(http, gateway_url, unique("u-"))
    etag = me.get(PREFS).headers["ETag"]
    assert me.request("PUT", PREFS, json={"digest": "daily"},
                      headers={"If-Match": etag}).status_code == 200
    stale = me.request("PUT", PREFS, json={"digest": "off"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert me.get(PREFS).json()["digest"] == "daily"


def test_the_inbox_is_newest_first_with_unread_count_and_read_marks(http, gateway_url,
                                                                    notices):
    sub, now = unique("u-"), datetime.now(UTC)
    keys = [notices(sub, at=now - timedelta(minutes=m)) for m in (3, 2, 1)]
    notices(sub, channel="email")
    notices(unique("other-"))
    me = _client(http, gateway_url, sub)
    page = me.get(INBOX).json()
    assert [n["id"] for n in page["items"]] == keys[::-1]
    assert (page["total"], page["unread_count"]) == (3, 3)
    assert page["items"][0]["body"].startswith("Now at 15:00") and not page["items"][0]["read"]

    read = me.post(f"{INBOX}/{keys[2]}/read")
    assert read.status_code == 200 and read.json()["read"] is True
    again = me.post(f"{INBOX}/{keys[2]}/read")
    assert again.json()["read_at"] == read.json()["read_at"]
    unread = me.get(INBOX, params={"unread": "true"}).json()
    assert [n["id"] for n in unread["items"]] == keys[1::-1]
    assert (unread["total"], unread["unread_count"]) == (2, 2)
    second = me.get(INBOX, params={"per_page": 2, "page": 2}).json()
    assert [n["id"] for n in second["items"]] == [keys[0]] and second["total"] == 3


def test_another_users_notice_is_404_and_stays_unread(http, gateway_url, notices):
    owner = unique("u-")
    key = notices(owner)
    stranger = _client(http, gateway_url, unique("u-"))
    response = stranger.post(f"{INBOX}/{key}/read")
    assert response.status_code == 404 and response.headers["Content-Type"].startswith(PROBLEM)
    assert stranger.post(f"{INBOX}/ntf_doesnotexist/read").status_code == 404
    assert _client(http, gateway_url, owner).get(INBOX).json()["unread_count"] == 1


def test_bad_inbox_arguments_are_422(http, gateway_url):
    me = _client(http, gateway_url, unique("u-"))
    assert me.get(INBOX, params={"unread": "maybe"}).status_code == 422
    assert me.get(INBOX, params={"per_page": 500}).status_code == 422


def test_one_click_unsubscribe_turns_email_off_without_a_login(http, gateway_url, anonymous):
    sub = unique("u-")
    me = _client(http, gateway_url, sub, email="c@example.org")
    me.request("PUT", PREFS, json={"digest": "daily"})
    link = f"/api/v1/unsubscribe/{unsubscribe_token(sub, env('UNSUBSCRIBE_SECRET'))}"
    preview = anonymous.get(link)
    assert preview.status_code == 200 and preview.json()["email_notifications"] is True
    assert me.get(PREFS).json()["channels"]["email"] is True
    # RFC 8058: the mail client POSTs this form body, without cookies or credentials.
    done = anonymous.post(link, data="List-Unsubscribe=One-Click",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert done.status_code == 200, done.text
    assert done.json() == {**done.json(), "email_notifications": False, "changed": True}
    prefs = me.get(PREFS).json()
    assert prefs["channels"] == {"email": False, "portal": True} and prefs["digest"] == "daily"
    assert anonymous.post(link).json()["changed"] is False


@pytest.mark.parametrize("token", ["nonsense", "dXNlcg.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"])
def test_a_bad_unsubscribe_token_is_404(anonymous, token):
    for method in ("GET", "POST"):
        response = anonymous.request(method, f"/api/v1/unsubscribe/{token}")
        assert response.status_code == 404 and response.headers["Content-Type"].startswith(
            PROBLEM)


def test_admins_see_permanent_failures_and_others_do_not(http, gateway_url, admin, notices):
    key = notices(unique("u-"), channel="email", failed=True, subject=unique("Failed "))
    page = admin.get("/api/v1/notifications/failures", params={"per_page": 100}).json()
    mine = [f for f in page["items"] if f["id"] == key]
    assert mine and mine[0]["last_error"].startswith("550") and mine[0]["attempts"] == 1
    student = _client(http, gateway_url, unique("u-"))
    assert student.get("/api/v1/notifications/failures").status_code == 403


def test_dev_tokens_carry_email_name_and_locale(http, gateway_url):
    response = http.post(f"{gateway_url}/api/v1/auth/dev-token", json={
        "sub": unique("u-"), "roles": ["student"], "timezone": "Asia/Shanghai",
        "email": "d@example.edu", "name": "Zhang San", "locale": "zh-Hans"}, timeout=10)
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["email"], claims["name"], claims["locale"]) == ("d@example.edu",
                                                                    "Zhang San", "zh-Hans")
    prefs = Client(http, gateway_url, token).get(PREFS).json()
    assert (prefs["email"], prefs["name"], prefs["locale"]) == ("d@example.edu", "Zhang San",
                                                                "zh-Hans")


@pytest.mark.parametrize(("extra", "field"), [
    ({"email": "not-an-address"}, "email"),
    ({"name": "\u200b\u200b"}, "name"),
    ({"name": "a\u202ebc"}, "name"),
    ({"locale": "fr"}, "locale"),
    ({"locale": "zh_Hans"}, "locale"),
])
def test_dev_tokens_refuse_bad_identity_claims(http, gateway_url, extra, field):
    response = http.post(f"{gateway_url}/api/v1/auth/dev-token",
                         json={"sub": "u1", "roles": [], **extra}, timeout=10)
    assert response.status_code == 422 and field in response.json()["errors"]


def test_a_signed_token_with_a_malformed_email_is_refused(http, gateway_url):
    bad = Client(http, gateway_url, make_token(unique("u-"), ["student"], email="nope"))
    assert bad.get(PREFS).status_code == 401


def test_the_service_exports_its_delivery_metrics(http, service_urls):
    # The worker measures the queue every 15 s; the API's /metrics reads every process's files.
    def exported():
        text = http.get(f"{service_urls['notifications']}/metrics", timeout=10).text
        return "meridian_notifications_queue_depth " in text and \
            "meridian_notifications_reminder_lag_seconds_bucket" in text

    wait_for(exported, timeout=60, message="notification metrics on /metrics")
