"""The issue's "done when", keyboard only, in English and in Chinese: a Changchun student finds
the Oxford course, enrolls, sees its sessions at Changchun times and joins one about to start;
the Oxford lead schedules a workshop."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_time
from playwright.sync_api import Page, expect

from tests.browser.conftest import tab_to
from tests.browser.world import CHANGCHUN

WORDS = {
    "en": {"main": "Main", "enroll": "Enroll", "enrolled": "You are enrolled.", "join": "Join",
           "scheduled": "1 session scheduled.", "timetable": "Timetable",
           "teaching": "Teaching"},
    "zh-Hans": {"main": "主导航", "enroll": "选课", "enrolled": "选课成功。", "join": "加入",
                "scheduled": "已安排 1 节课。", "timetable": "课表", "teaching": "教学"},
}
# A free Monday per language, so the two runs' workshops never conflict for the same lead.
WORKSHOP_DAY = {"en": "2027-07-05", "zh-Hans": "2027-07-12"}


def type_into(page: Page, selector: str, text: str) -> None:
    """Tab to a text field, replace what it holds, type `text`."""
    tab_to(page, page.locator(selector))
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def keyboard_sign_in(page: Page, who: dict, locale: str, next_path: str) -> None:
    """The dev sign-in form, filled and sent without a pointer."""
    page.goto(f"/dev/sign-in?next={next_path}")
    for name in ("sub", "roles", "institution_id", "timezone"):
        type_into(page, f"form.stack #{name}", who[name])
    type_into(page, "form.stack #locale", locale)
    tab_to(page, page.locator("form.stack button[type=submit]"))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == next_path)


def choose(page: Page, selector: str, value: str) -> None:
    """Move a focused select to `value` with the arrow keys (the labels are translated)."""
    select = page.locator(selector)
    tab_to(page, select)
    page.keyboard.press("Home")
    for _ in range(10):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{selector} has no option {value}")


@pytest.mark.parametrize("locale", ["en", "zh-Hans"])
def test_the_walkthrough_with_the_keyboard_alone(world, new_page, gateway_url, locale):
    words = WORDS[locale]
    # A course of its own, taught by its own lead: its "about to start" session must not
    # double-book the shared course's lead, whom other tests give sessions this hour too.
    lead_sub = f"lead-walk-{locale.lower()}-{world.tag}"
    course = world.published_course(lead_sub, f"ta-walk-{locale.lower()}-{world.tag}",
                                    label=f"-{locale.upper()}")
    offering = world.offering(course=course)
    student = world.student(f"stu-walk-{locale.lower()}")
    page = new_page(locale="en-US")
    keyboard_sign_in(page, student, locale, "/courses")
    expect(page.locator("html")).to_have_attribute("lang", locale)

    type_into(page, "#q", course["code"])
    page.keyboard.press("Enter")
    link = page.locator(f"a[href='/courses/{course['id']}']")
    tab_to(page, link)
    page.keyboard.press("Enter")
    section = page.locator(f"section[aria-labelledby='offering-{offering['id']}']")
    tab_to(page, section.get_by_role("button", name=words["enroll"], exact=True))
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_have_text(words["enrolled"])

    world.on_classroom_roster(student, offering["id"])
    soon = world.session_soon(offering["id"], 10, f"Suturing live {locale}", lead=lead_sub)
    tab_to(page, page.get_by_role("navigation", name=words["main"]).get_by_role(
        "link", name=words["timetable"], exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url("**/timetable*")
    row = page.locator("table.timetable tbody tr", has_text=soon["title"])
    starts_in_changchun = datetime.fromisoformat(soon["start"].replace("Z", "+00:00"))
    babel_locale = locale.replace("-", "_")
    expect(row).to_contain_text(format_time(starts_in_changchun.astimezone(ZoneInfo(CHANGCHUN)),
                                            "short", locale=babel_locale))
    expect(row).to_contain_text("Europe/London")

    page.route(re.compile(r"^(?!" + re.escape(gateway_url) + ").*"),
               lambda route: route.fulfill(status=200, content_type="text/html",
                                           body="<html><title>meeting</title></html>"))
    page.goto("/")
    item = page.locator("li.session", has_text=soon["title"])
    tab_to(page, item.get_by_role("button", name=re.compile(words["join"])))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: not url.startswith(gateway_url), timeout=30_000)
    assert page.title() == "meeting"

    lead = world.lead_identity(lead_sub)
    teacher = new_page(locale="en-US")
    keyboard_sign_in(teacher, lead, locale, "/")
    tab_to(teacher, teacher.get_by_role("navigation", name=words["main"]).get_by_role(
        "link", name=words["teaching"], exact=True))
    teacher.keyboard.press("Enter")
    tab_to(teacher, teacher.locator(f"a[href='/offerings/{offering['id']}/schedule']"))
    teacher.keyboard.press("Enter")
    choose(teacher, "#kind", "workshop")
    type_into(teacher, "#title", f"Workshop {locale}")
    tab_to(teacher, teacher.locator("#start"))
    year, month, day = WORKSHOP_DAY[locale].split("-")
    # Chromium's date-time control in a US layout: month, day, year, then hour, minute, AM/PM.
    teacher.keyboard.type(f"{month}{day}{year}")
    teacher.keyboard.press("Tab")
    teacher.keyboard.type("1000AM")
    tab_to(teacher, teacher.locator("#schedule-form button[value=save]"))
    teacher.keyboard.press("Enter")
    expect(teacher.locator(".flash")).to_have_text(words["scheduled"])
    sessions = lead["api"].get(f"/api/v1/offerings/{offering['id']}/sessions").json()["items"]
    workshop = next(s for s in sessions if s["title"] == f"Workshop {locale}")
    assert workshop["kind"] == "workshop"
    assert workshop["start"].startswith(f"{WORKSHOP_DAY[locale]}T09:00")  # 10:00 BST
