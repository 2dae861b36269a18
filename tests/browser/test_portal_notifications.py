"""The bell, the inbox and the settings page against the real notifications service."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import accessible, scripted_twin, sign_in
from tests.browser.world import EVENTUAL
from tests.support import supervisorctl, wait_for


def _bell(page: Page):
    return page.get_by_role("link", name=re.compile(r"^Notifications: \d+ unread$"))


def _unread_after_reload(page: Page, path: str, count: int) -> bool:
    page.goto(path)
    return page.locator("li.notice.unread").count() == count


def test_enrollment_news_reaches_the_bell_and_inbox_without_javascript(world, new_page):
    offering = world.offering()
    student = world.student("stu-inbox")
    page = new_page(javascript=False)
    sign_in(page, student, "/notifications")
    expect(page.locator("main")).to_contain_text("No notifications yet.")
    expect(_bell(page)).to_have_accessible_name("Notifications: 0 unread")

    enrollment = world.enroll(student, offering["id"])
    withdrawn = student["api"].delete(f"/api/v1/enrollments/{enrollment['id']}")
    assert withdrawn.status_code == 200, withdrawn.text
    wait_for(lambda: _unread_after_reload(page, "/notifications", 2), timeout=EVENTUAL,
             message="both enrollment notices in the inbox")
    notices = page.locator("li.notice")
    # Newest first: the withdrawal, then the enrollment.
    expect(notices.nth(0)).to_contain_text("You have withdrawn from")
    expect(notices.nth(1)).to_contain_text("You are enrolled in")
    expect(_bell(page)).to_have_accessible_name("Notifications: 2 unread")
    expect(page.locator(".bell .count")).to_have_text("2")
    accessible(scripted_twin(page, new_page), "notifications")

    # Keyboard only: focus the first notice's button and press Enter.
    notices.nth(0).get_by_role("button", name=re.compile("Mark as read")).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_have_text("Marked as read.")
    expect(_bell(page)).to_have_accessible_name("Notifications: 1 unread")
    expect(notices.nth(0)).to_contain_text("Read")
    expect(notices.nth(0).get_by_role("button")).to_have_count(0)
    page.get_by_role("link", name="Show unread only").click()
    expect(page.locator("li.notice")).to_have_count(1)
    expect(page.locator("li.notice")).to_contain_text("You are enrolled in")


def test_settings_save_through_the_api_with_its_422_next_to_the_field(world, new_page):
    student = world.student("stu-settings")
    page = new_page(javascript=False)
    sign_in(page, student, "/settings")
    expect(page.locator("main")).to_contain_text(f"E-mail goes to {student['email']}")
    expect(page.get_by_label("1 day before")).to_be_checked()
    expect(page.get_by_label("1 hour before")).to_be_checked()
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Shanghai")
    accessible(scripted_twin(page, new_page), "settings")
    # Without JavaScript the API's own check answers: a reminder beyond one week.
    page.get_by_label("Other times (minutes before, comma-separated)").fill("20000")
    page.get_by_role("button", name="Save").click()
    group = page.locator("fieldset#reminders_minutes")
    expect(group.locator(".field-errors")).to_contain_text("less than or equal to 10080")
    assert group.get_attribute("aria-describedby") == "reminders_minutes-error"
    expect(page.locator("#other_reminders")).to_have_value("20000")

    page = new_page()
    sign_in(page, student, "/settings")
    page.get_by_label("1 hour before").uncheck()
    page.get_by_label("15 minutes before").check()
    page.get_by_label("One daily digest instead of single e-mails").check()
    page.get_by_label("Language of notices").select_option("zh-Hans")
    page.get_by_label("Time zone").fill("Europe/Berlin")
    page.get_by_role("button", name="Save").click()
    # Saved: the portal now speaks Chinese and shows times in Berlin.
    expect(page.locator(".flash")).to_have_text("您的偏好设置已保存。")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("#locale-switch")).to_have_value("zh_Hans")
    expect(page.locator("footer")).to_contain_text("Europe/Berlin")
    expect(page.get_by_label("提前 15 分钟")).to_be_checked()
    expect(page.get_by_label("提前 1 小时")).not_to_be_checked()
    expect(page.get_by_label("每天一封摘要邮件")).to_be_checked()
    accessible(page, "settings-zh")


def test_inline_validation_on_the_settings_form(world, new_page):
    page = new_page()
    sign_in(page, world.student("stu-inline"), "/settings")
    zone = page.get_by_label("Time zone")
    zone.fill("Mars/Olympus")
    zone.blur()
    expect(zone).to_have_attribute("aria-invalid", "true")
    message = page.locator("#timezone-js-error")
    expect(message).to_have_text("Give a time zone such as Europe/London or Asia/Shanghai.")
    page.get_by_role("button", name="Save").click()
    # Nothing was sent: no flash, the summary is announced and the field has the focus.
    expect(page.locator("#settings-form .js-summary")).to_have_text(
        "Please correct the fields marked below.")
    expect(page.locator(".flash")).to_have_count(0)
    expect(zone).to_be_focused()
    accessible(page, "settings-inline")
    zone.fill("Asia/Tokyo")
    zone.blur()
    expect(message).to_be_hidden()
    expect(zone).not_to_have_attribute("aria-invalid", "true")


def test_without_the_notifications_service_pages_stay_up_and_say_so(world, new_page):
    page = new_page()
    sign_in(page, world.student("stu-outage"), "/timetable")
    expect(_bell(page)).to_have_count(1)
    supervisorctl("stop", "notifications-api")
    try:
        page.goto("/timetable")
        expect(page.locator("h1")).to_have_text("Timetable")
        expect(page.locator(".bell")).to_have_count(0)
        for path in ("/notifications", "/settings"):
            answer = page.goto(path)
            assert answer.status == 503
            expect(page.locator("h1")).to_have_text(
                re.compile("Try again shortly|Notifications are unavailable"))
    finally:
        supervisorctl("start", "notifications-api")
    wait_for(lambda: page.goto("/notifications").status == 200, timeout=EVENTUAL,
             message="the notifications service back")
