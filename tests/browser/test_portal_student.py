"""Students: enroll in the browser, see the session at Changchun time, join it; waitlist."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import accessible, sign_in, tab_to


def test_student_enrolls_then_joins_a_session_about_to_start(world, new_page, gateway_url):
    offering = world.offering()
    student = world.student("stu-join")
    page = new_page()
    sign_in(page, student, f"/courses/{world.course['id']}")
    accessible(page, "course")
    section = page.locator(f"section[aria-labelledby='offering-{offering['id']}']")
    # Keyboard only: tab to the button and press Enter.
    button = section.get_by_role("button", name="Enroll")
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_have_text("You are enrolled.")
    expect(section.locator("[data-status]")).to_have_text("Enrolled")

    world.on_classroom_roster(student, offering["id"])
    soon = world.session_soon(offering["id"], 10, "Suturing live")
    later = world.session_soon(offering["id"], 180, "Knot tying later")
    page.goto("/")
    accessible(page, "home")
    item = page.locator("li.session", has_text="Suturing live")
    # Shown in the student's zone (Changchun, UTC+8), with the session's own London time.
    expect(item).to_contain_text("Europe/London")
    waiting = page.locator("li.session", has_text="Knot tying later")
    expect(waiting).to_contain_text("Not started yet.")
    expect(waiting.get_by_role("button", name=re.compile("Join"))).to_have_count(0)

    page.goto("/timetable")
    accessible(page, "timetable")
    expect(page.locator("table.timetable tbody tr")).to_have_count(2)
    assert later["id"]

    # The meeting provider is outside this machine: answer for it, and check we got there.
    page.route(re.compile(r"^(?!" + re.escape(gateway_url) + ").*"),
               lambda route: route.fulfill(status=200, content_type="text/html",
                                           body="<html><title>meeting</title></html>"))
    page.goto("/")
    item = page.locator("li.session", has_text="Suturing live")
    item.get_by_role("button", name=re.compile("Join")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: not url.startswith(gateway_url), timeout=30_000)
    assert page.title() == "meeting"
    attendance = world.lead_identity()["api"].get(f"/api/v1/sessions/{soon['id']}/attendance")
    assert student["sub"] in {row["user_id"] for row in attendance.json()["items"]}

    page.goto(f"{gateway_url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My attendance").click()
    page.wait_for_url(re.compile(r"/attendance$"))
    accessible(page, "my-attendance")
    rows = page.locator("table.attendance tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Suturing live")
    expect(rows.first).to_contain_text("not reported")


def test_waitlist_position_then_promotion_after_a_withdrawal(world, new_page):
    offering = world.offering(capacity=1)
    first = world.student("stu-first")
    held = world.enroll(first, offering["id"])
    assert held["status"] == "confirmed"
    second = world.student("stu-second")
    page = new_page()
    sign_in(page, second, f"/courses/{world.course['id']}")
    section = page.locator(f"section[aria-labelledby='offering-{offering['id']}']")
    section.get_by_role("button", name="Enroll").click()
    expect(page.locator(".flash")).to_have_text(
        "The offering is full: you are on the waitlist.")
    expect(section.locator("[data-status]")).to_have_text("On the waitlist")
    expect(section.locator("[data-poll]")).to_have_text("1")
    accessible(page, "course-waitlisted")

    response = first["api"].delete(f"/api/v1/enrollments/{held['id']}")
    assert response.status_code == 200, response.text
    # No reload by the test: the page's poller notices the promotion.
    expect(page.locator(
        f"section[aria-labelledby='offering-{offering['id']}'] [data-status]")).to_have_text(
        "Enrolled", timeout=60_000)
