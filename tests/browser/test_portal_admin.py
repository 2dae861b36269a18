"""An institution admin bulk-enrolls from a CSV with one bad row; admin pages pass axe."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import accessible, scripted_twin, sign_in
from tests.support import wait_for


def test_bulk_enrollment_csv_with_one_bad_row(world, new_page, tmp_path):
    offering = world.offering()
    admin = {"sub": f"admin-{world.tag}", "roles": "institution_admin",
             "institution_id": world.changchun["id"], "timezone": "Asia/Shanghai",
             "locale": "en"}
    csv = tmp_path / "students.csv"
    csv.write_text(f"student_id\nbulk1-{world.tag}\nnot a valid id!\nbulk2-{world.tag}\n")
    page = new_page()
    sign_in(page, admin, f"/admin/offerings/{offering['id']}/bulk")
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Enroll these students").click()
    # The upload becomes a job with a page of its own that updates itself until done.
    expect(page).to_have_url(re.compile(rf"/admin/offerings/{offering['id']}/bulk/jobs/[^/]+$"))
    expect(page.locator("#job")).to_have_attribute("data-job-status", "done", timeout=60_000)
    expect(page.locator("#job-progress")).to_contain_text("2 of 2 students processed")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(f"bulk1-{world.tag}")
    expect(rows.nth(0)).to_contain_text("Enrolled")
    expect(rows.nth(1)).to_contain_text("Refused")
    expect(rows.nth(1)).to_contain_text("Not a valid student id.")
    expect(rows.nth(2)).to_contain_text("Enrolled")
    expect(rows.nth(2).locator("td").first).to_have_text("4")
    accessible(page, "bulk-results")
    roster = world.admin.get(f"/api/v1/offerings/{offering['id']}/roster").json()
    assert {e["student_id"] for e in roster["confirmed"]} == {f"bulk1-{world.tag}",
                                                              f"bulk2-{world.tag}"}


def test_bulk_job_page_refreshes_with_javascript_off(world, new_page, tmp_path):
    offering = world.offering()
    admin = {"sub": f"admin-nojs-{world.tag}", "roles": "institution_admin",
             "institution_id": world.changchun["id"], "timezone": "UTC", "locale": "en"}
    csv = tmp_path / "students.csv"
    csv.write_text(f"nojs1-{world.tag}\n")
    page = new_page(javascript=False)
    sign_in(page, admin, f"/admin/offerings/{offering['id']}/bulk")
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Enroll these students").click()
    job = page.locator("#job")
    expect(job).to_be_visible()

    def done() -> bool:
        if job.get_attribute("data-job-status") == "done":
            return True
        page.get_by_role("link", name="Refresh").click()
        return False

    wait_for(done, timeout=60, interval=0.5, message="the job to finish")
    expect(page.get_by_role("link", name="Refresh")).to_have_count(0)
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results tbody tr").first).to_contain_text("Enrolled")
    accessible(scripted_twin(page, new_page), "bulk-job-done")


def test_admin_pages_pass_axe(world, new_page):
    offering = world.offering(selection="lottery")
    page = new_page()
    sign_in(page, {"sub": "platform-admin", "roles": "admin", "institution_id": "",
                   "timezone": "UTC", "locale": "en"}, "/admin/")
    expect(page.locator("h1")).to_have_text("Administration")
    accessible(page, "admin")
    for path, name in ((f"/admin/courses/{world.course['id']}/offerings/new", "offering-new"),
                       ("/admin/courses/new", "course-new"),
                       (f"/admin/offerings/{offering['id']}/draw", "draw"),
                       (f"/admin/offerings/{offering['id']}/bulk", "bulk")):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        accessible(page, name)
    page.goto("/admin/courses/new")
    page.get_by_label("Code").fill("")
    page.get_by_role("button", name="Create the course").click()
    expect(page.locator(".field-errors").first).to_be_visible()
    accessible(page, "course-new-errors")
