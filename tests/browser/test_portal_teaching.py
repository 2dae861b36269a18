"""The Oxford lead schedules a weekly series across the UK clock change and meets a conflict."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import accessible, sign_in, tab_to


def test_series_across_dst_preview_save_then_conflict(world, new_page):
    offering = world.offering()
    student = world.student("stu-cohort")
    world.enroll(student, offering["id"])
    world.on_classroom_roster(student, offering["id"])
    page = new_page()
    sign_in(page, world.lead_identity(), f"/offerings/{offering['id']}/schedule")
    expect(page.locator("main")).to_contain_text("Asia/Shanghai")  # the cohort's zone

    def fill() -> None:
        page.get_by_label("Kind").select_option("workshop")
        page.get_by_label("Title").fill("Suturing workshop")
        page.get_by_label("Local start").fill("2027-03-22T08:00")
        page.get_by_label("Time zone", exact=True).fill("Europe/London")
        page.get_by_label("Duration (minutes)").first.fill("90")
        page.get_by_label("Repeat").select_option("weekly")
        page.get_by_label("Number of sessions").fill("3")

    fill()
    page.get_by_role("button", name="Preview").click()
    rows = page.locator("#preview tbody tr")
    expect(rows).to_have_count(3)
    # 08:00 in London every week; in Changchun 16:00, then 15:00 once the UK is on BST.
    expect(rows.nth(0)).not_to_contain_text("DST shift")
    expect(rows.nth(1)).to_contain_text("DST shift")
    expect(rows.nth(0)).to_contain_text("4:00 PM")
    expect(rows.nth(1)).to_contain_text("3:00 PM")
    accessible(page, "schedule-preview")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_have_text("3 sessions scheduled.")
    expect(page.locator("table").nth(1).locator("tbody tr")).to_have_count(3)
    accessible(page, "roster")

    page.goto(f"/offerings/{offering['id']}/schedule")
    fill()
    page.get_by_role("button", name="Save").click()
    conflicts = page.locator("section.problem")
    expect(conflicts).to_contain_text("Conflicts: nothing was saved")
    expect(conflicts.locator("li")).to_have_count(3)
    expect(conflicts).to_contain_text("Suturing workshop")
    # Numbered like the preview: each clash names its own occurrence and date.
    for n, day in enumerate(("Mar 22, 2027", "Mar 29, 2027", "Apr 5, 2027")):
        expect(conflicts.locator("li").nth(n)).to_contain_text(f"Occurrence {n + 1} at")
        expect(conflicts.locator("li").nth(n)).to_contain_text(day)
    accessible(page, "schedule-conflict")

    # Reschedule this and the following ones, then cancel the first.
    page.goto(f"/offerings/{offering['id']}/roster")
    sessions = page.locator("table").nth(1).locator("tbody tr")
    sessions.nth(1).get_by_role("link", name="Reschedule or cancel").click()
    accessible(page, "session-edit")
    page.get_by_label("Local start").fill("2027-03-29T09:00")
    page.get_by_label("This and the following ones").first.check()
    page.get_by_role("button", name="Reschedule").click()
    expect(page.locator(".flash")).to_have_text("The session has been rescheduled.")
    expect(sessions.nth(1)).to_contain_text("Mar 29, 2027, 9:00")
    expect(sessions.nth(2)).to_contain_text("Apr 5, 2027, 9:00")
    expect(sessions.nth(0)).to_contain_text("Mar 22, 2027, 8:00")
    sessions.nth(0).get_by_role("link", name="Reschedule or cancel").click()
    page.get_by_role("button", name="Cancel the session").click()
    expect(page.locator(".flash")).to_have_text("The session has been cancelled.")
    expect(sessions.nth(0)).to_contain_text("Cancelled")


def test_fair_hours_grid_prefills_the_form(world, new_page):
    offering = world.offering()
    student = world.student("stu-grid")
    world.enroll(student, offering["id"])
    world.on_classroom_roster(student, offering["id"])
    page = new_page()
    sign_in(page, world.lead_identity(),
            f"/offerings/{offering['id']}/schedule?find=1&from=2027-03-22&to=2027-03-26"
            "&duration_minutes=60")
    grid = page.locator("#slots tbody tr")
    expect(grid.first).to_contain_text("inside hours")
    accessible(page, "schedule-grid")
    chosen = grid.first.locator("th").inner_text()
    grid.first.get_by_role("link").click()
    expect(page.get_by_label("Local start")).to_have_value(f"2027-03-22T{chosen}")


def test_inline_validation_then_a_session_for_two_instructors(world, new_page):
    offering = world.offering()
    page = new_page()
    sign_in(page, world.lead_identity(), f"/offerings/{offering['id']}/schedule")
    lead = page.get_by_label(re.compile(r"lead instructor \(you\)"))
    ta = page.get_by_label(re.compile("teaching assistant"))
    expect(lead).to_be_checked()
    expect(ta).not_to_be_checked()
    title = page.get_by_label("Title")
    title.focus()
    title.blur()
    expect(page.locator("#title-js-error")).to_have_text("This field is required.")
    expect(title).to_have_attribute("aria-invalid", "true")
    lead.uncheck()
    expect(page.locator("#instructors-js-error")).to_have_text("Choose at least one.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#schedule-form .js-summary")).to_be_visible()
    expect(title).to_be_focused()
    expect(page.locator("#preview")).to_have_count(0)  # nothing went to the server
    accessible(page, "schedule-inline")

    title.fill("Knot tying clinic")
    page.get_by_label("Local start").fill("2027-04-12T10:00")
    lead.check()
    ta.check()
    expect(page.locator("#instructors-js-error")).to_be_hidden()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_have_text("1 session scheduled.")
    sessions = world.lead_identity()["api"].get(
        f"/api/v1/offerings/{offering['id']}/sessions").json()["items"]
    clinic = next(s for s in sessions if s["title"] == "Knot tying clinic")
    assert sorted(clinic["instructors"]) == sorted([world.lead, world.ta])


def test_scheduling_works_with_the_keyboard_alone(world, new_page):
    offering = world.offering()
    page = new_page(locale="en-US")
    sign_in(page, world.lead_identity(), f"/offerings/{offering['id']}/schedule")

    tab_to(page, page.locator("#kind"))
    page.keyboard.type("Seminar")
    tab_to(page, page.locator("#title"))
    page.keyboard.type("Case review")
    tab_to(page, page.locator("#start"))
    # Chromium's date-time control, US layout: month, day, year, then (Tab) hour, minute, AM/PM.
    # June: clear of the other tests' sessions of the same lead (an instructor conflict).
    page.keyboard.type("06072027")
    page.keyboard.press("Tab")
    page.keyboard.type("0230PM")
    tab_to(page, page.locator("#repeat"))
    page.keyboard.type("Weekly")
    tab_to(page, page.locator("#count"))
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    tab_to(page, page.locator("#schedule-form button[value=preview]"))
    page.keyboard.press("Enter")
    expect(page.locator("#preview tbody tr")).to_have_count(2)
    expect(page.get_by_label("Local start")).to_have_value("2027-06-07T14:30")
    tab_to(page, page.locator("#schedule-form button[value=save]"))
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_have_text("2 sessions scheduled.")
    sessions = world.lead_identity()["api"].get(
        f"/api/v1/offerings/{offering['id']}/sessions").json()["items"]
    assert sorted(s["kind"] for s in sessions if s["title"] == "Case review") == [
        "seminar", "seminar"]
