"""The Oxford lead schedules a weekly series across the UK clock change and meets a conflict."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import accessible, sign_in


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
