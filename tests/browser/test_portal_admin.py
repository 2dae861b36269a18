"""An institution admin bulk-enrolls from a CSV with one bad row; admin pages pass axe."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import accessible, sign_in


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
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(f"bulk1-{world.tag}")
    expect(rows.nth(0)).to_contain_text("Enrolled")
    expect(rows.nth(1)).to_contain_text("Refused")
    expect(rows.nth(1)).to_contain_text("Not a valid student id.")
    expect(rows.nth(2)).to_contain_text("Enrolled")
    accessible(page, "bulk-results")
    roster = world.admin.get(f"/api/v1/offerings/{offering['id']}/roster").json()
    assert {e["student_id"] for e in roster["confirmed"]} == {f"bulk1-{world.tag}",
                                                              f"bulk2-{world.tag}"}


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
