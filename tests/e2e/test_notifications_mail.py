"""Every kind of notification reaches Mailpit as the reader expects it: multipart, in their
language and zone, with Join and one-click unsubscribe links, and session mails with an
iCalendar invitation that matches the calendar feed (same UID, rising SEQUENCE)."""

from __future__ import annotations

import pytest
from markupsafe import escape

from tests.conftest import Client
from tests.e2e.mailbox import html_of, invitation, text_of
from tests.e2e.notifications_world import call, course_and_offering, enroll, person
from tests.support import make_token

pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def world(gateway_url):
    import requests

    http = requests.Session()
    admin = Client(http, gateway_url, make_token("platform-admin", ["admin"]))
    lead = person(http, gateway_url, "lead", ["instructor"], "en", "Europe/London")
    course, offering = course_and_offering(admin, lead.sub)
    students = {
        "en": person(http, gateway_url, "ann", ["student"], "en", "America/New_York"),
        "zh": person(http, gateway_url, "li", ["student"], "zh-Hans", "Asia/Shanghai"),
        "wait": person(http, gateway_url, "bo", ["student"], "en", "Europe/Berlin"),
    }
    return {"admin": admin, "lead": lead, "course": course, "offering": offering,
            "students": students, "http": http, "gateway": gateway_url}


def test_enrollment_mails_confirmed_waitlisted_promoted_withdrawn_in_both_languages(world):
    s, offering_id = world["students"], world["offering"]["id"]
    first = enroll(s["en"], offering_id)
    enroll(s["zh"], offering_id)
    waiting = enroll(s["wait"], offering_id)
    assert (first["status"], waiting["status"]) == ("confirmed", "waitlisted")
    (en,) = s["en"].mailbox.wait_for_kind("enrollment_confirmed")
    assert en["Subject"] == f"You are enrolled in {world['course']['code']} Surgical skills"
    assert en["Content-Language"] == "en" and "Hello Ann," in text_of(en)
    (zh,) = s["zh"].mailbox.wait_for_kind("enrollment_confirmed")
    assert zh["Content-Language"] == "zh-Hans" and "您已注册" in zh["Subject"]
    assert "名额已确认" in text_of(zh) and "名额已确认" in html_of(zh)
    (queued,) = s["wait"].mailbox.wait_for_kind("enrollment_waitlisted")
    assert "Waitlist position 1" in queued["Subject"] and "number 1" in text_of(queued)
    call(s["en"].client, "DELETE", f"/api/v1/enrollments/{first['id']}", (200,))
    (gone,) = s["en"].mailbox.wait_for_kind("enrollment_withdrawn")
    assert "You have withdrawn" in gone["Subject"]
    (promoted,) = s["wait"].mailbox.wait_for_kind("enrollment_promoted")
    assert "A place opened up" in promoted["Subject"]
    for message in (en, zh, queued, gone, promoted):
        assert message.get_content_type() == "multipart/alternative"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = message["List-Unsubscribe"].strip("<>")
        assert "/api/v1/unsubscribe/" in link and link in text_of(message)


def session_mail(mailbox, kind: str, sequence: int):
    return mailbox.wait_for_kind(kind, where=lambda m: int(invitation(m)[1]["SEQUENCE"])
                                 == sequence)[0]


def test_session_mails_carry_the_feeds_uid_and_a_rising_sequence(world):
    s, lead, offering_id = world["students"], world["lead"], world["offering"]["id"]
    zh, promoted = s["zh"], s["wait"]
    created = call(lead.client, "POST", f"/api/v1/offerings/{offering_id}/sessions", (201,),
                   json={"kind": "lecture", "title": "Knot tying", "start": "2027-03-27T09:00",
                         "timezone": "Europe/London", "duration_minutes": 60,
                         "instructors": [lead.sub], "repeat": None})
    (session,) = created["sessions"]
    uid = f"{session['id']}@meridian"
    scheduled = session_mail(zh.mailbox, "session_scheduled", 0)
    calendar, event = invitation(scheduled)
    assert str(calendar["METHOD"]) == "REQUEST" and str(event["UID"]) == uid
    # 09:00 GMT on 27 March is 17:00 in Shanghai; the zone is named.
    assert "17:00" in text_of(scheduled) and "(Asia/Shanghai)" in text_of(scheduled)
    join = f"{world['gateway']}/timetable?from=2027-03-27&to=2027-03-27#session-{session['id']}"
    assert join in text_of(scheduled) and f'href="{escape(join)}"' in html_of(scheduled)
    session_mail(lead.mailbox, "session_scheduled", 0)
    # Moved across the DST change: 09:00 London is now BST, 16:00 in Shanghai.
    call(lead.client, "PATCH", f"/api/v1/sessions/{session['id']}", (200,),
         json={"start": "2027-03-29T09:00"})
    moved = session_mail(zh.mailbox, "session_rescheduled", 1)
    calendar, event = invitation(moved)
    assert str(event["UID"]) == uid and str(calendar["METHOD"]) == "REQUEST"
    assert "原定：2027年3月27日周六 17:00" in text_of(moved)  # noqa: RUF001
    assert "现改为：2027年3月29日周一 16:00" in text_of(moved)  # noqa: RUF001
    feed_url = call(promoted.client, "POST", "/api/v1/me/calendar-feed", (200, 201),
                    json={})["url"]
    feed = world["http"].get(feed_url, timeout=30).text
    import icalendar

    (fed,) = [e for e in icalendar.Calendar.from_ical(feed).walk("VEVENT")
              if str(e["UID"]) == uid]
    english = session_mail(promoted.mailbox, "session_rescheduled", 1)
    assert int(invitation(english)[1]["SEQUENCE"]) == int(fed["SEQUENCE"]) == 1
    call(lead.client, "DELETE", f"/api/v1/sessions/{session['id']}", (200, 204))
    cancelled = session_mail(promoted.mailbox, "session_cancelled", 2)
    calendar, event = invitation(cancelled)
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == uid


def test_an_offering_cancellation_tells_its_students_and_faculty(world):
    s, offering_id = world["students"], world["offering"]["id"]
    call(world["admin"], "POST", f"/api/v1/offerings/{offering_id}/cancel", (200,))
    for who in (s["zh"], s["wait"], world["lead"]):
        (mail,) = who.mailbox.wait_for_kind("offering_cancelled")
        assert world["course"]["code"] in mail["Subject"]
    assert "已取消" in s["zh"].mailbox.with_kind("offering_cancelled")[0]["Subject"]
