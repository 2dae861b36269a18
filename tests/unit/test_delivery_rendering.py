"""Mail rendering: both languages, zones named, English fallback for broken parts, MIME parts."""
# Chinese text is written with full-width punctuation, which RUF001 mistakes for typos.
# ruff: noqa: RUF001

from __future__ import annotations

import email
import logging
import re
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from email import policy

import icalendar

from meridian_notifications.adapters.rendering import TRANSLATIONS, TemplateRenderer
from meridian_notifications.application.delivery_message import build_message
from meridian_notifications.application.delivery_ports import Links
from meridian_notifications.domain.notification import new_notification

LINKS = Links("https://m.example/timetable#session-ses", "https://m.example/settings",
              "https://m.example/api/v1/unsubscribe/TOKEN")
SESSION = {"session_id": "ses", "offering_id": "off", "title": "Suturing", "kind": "lecture",
           "start": "2027-03-28T08:00:00Z", "end": "2027-03-28T09:00:00Z",
           "timezone": "Europe/London", "sequence": 2, "uid": "ses@meridian",
           "status": "scheduled", "previous_start": "2027-03-27T08:00:00Z"}
FACTS = {"offering_id": "off", "course_code": "SURG", "course_title": "Surgical skills",
         "session": SESSION}


def test_a_rescheduled_session_reads_in_english_and_chinese_in_the_readers_zone():
    renderer = TemplateRenderer()
    en = renderer.render("session_rescheduled", FACTS, "Ann", "en", "Asia/Shanghai", LINKS)
    zh = renderer.render("session_rescheduled", FACTS, "李雷", "zh-Hans", "Asia/Shanghai", LINKS)
    assert en.locale == "en" and zh.locale == "zh-Hans"
    assert en.subject.startswith("Session moved: Suturing now on Sun, Mar 28, 2027, 4:00")
    assert re.search(r"It was: Sat, Mar 27, 2027, 4:00\sPM China \(Shanghai\) Time "
                     r"\(Asia/Shanghai\)", en.text)
    assert "原定：2027年3月27日周六 16:00 中国（上海）时间 (Asia/Shanghai)" in zh.text
    assert "李雷，您好" in zh.text and "进入课堂" in zh.html
    for out in (en, zh):
        assert LINKS.join_url in out.text and LINKS.unsubscribe_url in out.html


def test_html_escapes_what_people_typed():
    facts = {**FACTS, "course_title": "<script>x</script>"}
    out = TemplateRenderer().render("session_scheduled", facts, "A & B", "en", "UTC", LINKS)
    assert "<script>" not in out.html and "&lt;script&gt;" in out.html
    assert "A &amp; B" in out.html and "<script>x</script>" in out.text


def compiled_copy(tmp_path, old: str, new: str):
    """The catalogues with one zh_Hans translation replaced, compiled."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    translations = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, translations)
    po = translations / "zh_Hans" / "LC_MESSAGES" / "messages.po"
    text = po.read_text()
    assert old in text
    po.write_text(text.replace(old, new))
    with po.open("rb") as source:
        catalogue = read_po(source, locale="zh_Hans")
    with (po.parent / "messages.mo").open("wb") as target:
        write_mo(target, catalogue)
    return translations


def test_a_broken_translation_falls_back_to_english_and_is_logged(tmp_path, caplog):
    # A translator's typo in a placeholder breaks the Chinese body only.
    translations = compiled_copy(tmp_path, 'msgstr "您已注册 %(course)s，名额已确认。"',
                                 'msgstr "您已注册 %(cours)s，名额已确认。"')
    renderer = TemplateRenderer(translations=translations)
    with caplog.at_level(logging.ERROR):
        out = renderer.render("enrollment_confirmed", FACTS, "Ann", "zh-Hans", "UTC", LINKS)
    assert out.locale == "en" and out.subject == "You are enrolled in SURG Surgical skills"
    assert "Your place is confirmed." in out.text
    assert any("falling back" in r.message for r in caplog.records)


def test_a_missing_catalogue_falls_back_to_english(tmp_path, caplog):
    renderer = TemplateRenderer(translations=tmp_path)
    with caplog.at_level(logging.ERROR):
        out = renderer.render("enrollment_promoted", FACTS, "Li", "zh-Hans", "UTC", LINKS)
    assert out.locale == "en" and "A place opened up" in out.subject
    assert "no compiled catalogue" in caplog.text


def test_a_missing_translation_stays_english_for_that_message_only(tmp_path, caplog):
    translations = compiled_copy(tmp_path, 'msgstr "进入课堂"', 'msgstr ""')
    with caplog.at_level(logging.WARNING):
        out = TemplateRenderer(translations=translations).render(
            "session_scheduled", FACTS, "Li", "zh-Hans", "UTC", LINKS)
    assert out.locale == "zh-Hans" and "Join the session" in out.text and "您好" in out.text
    assert "missing zh-Hans translation: 'Join the session'" in caplog.text


def test_even_a_renderer_without_templates_still_produces_a_notice(tmp_path):
    out = TemplateRenderer(templates=tmp_path).render("session_cancelled", FACTS, "Ann", "en",
                                                      "UTC", LINKS)
    assert "SURG Surgical skills" in out.subject and LINKS.unsubscribe_url in out.text


def mail(kind="session_rescheduled"):
    rendered = TemplateRenderer().render(kind, FACTS, "Ann", "en", "Europe/London", LINKS)
    return new_notification(
        event_id="evt", recipient="u-ann", channel="email", kind=kind,
        subject=rendered.subject, body_text=rendered.text, body_html=rendered.html,
        now=datetime(2027, 3, 20, tzinfo=UTC), to_address="ann@uni.example",
        locale="en", data={"facts": FACTS, "join_url": LINKS.join_url, "name": "Ann",
                           "unsubscribe_url": LINKS.unsubscribe_url, "invitation": True})


def parsed(notification):
    raw = build_message(notification, "Meridian <no-reply@m.example>").as_bytes()
    return email.message_from_bytes(raw, policy=policy.default)


def test_a_session_mail_is_multipart_with_rfc8058_headers_and_the_feeds_uid_and_sequence():
    message = parsed(mail())
    assert message["List-Unsubscribe"] == f"<{LINKS.unsubscribe_url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["To"] == "Ann <ann@uni.example>"
    assert message["Message-ID"] == f"<{mail().key}@m.example>"
    types = [part.get_content_type() for part in message.walk()]
    assert types[:4] == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html"]
    (invite,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert invite.get_param("method") == "REQUEST"
    calendar = icalendar.Calendar.from_ical(invite.get_content())
    (event,) = calendar.walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"])) == ("ses@meridian", 2)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert event.decoded("DTSTART") == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    assert str(event.get("DTSTART").params["TZID"]) == "Europe/London"


def test_a_cancelled_session_mail_cancels_the_same_calendar_event():
    cancelled = replace(mail("session_cancelled"), kind="session_cancelled")
    (invite,) = [p for p in parsed(cancelled).walk() if p.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(invite.get_content())
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == "ses@meridian"
