"""Faculty consent: an institution admin lists an instructor, who accepts on the portal."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import accessible, sign_in
from tests.support import unique


def test_admin_invites_an_instructor_who_accepts(world, new_page):
    code = f"INV-{unique('')}"
    invitee = {"sub": f"invitee-{world.tag}", "roles": "instructor",
               "institution_id": world.oxford["id"], "timezone": "Europe/London",
               "locale": "en", "name": "Dr Invitee"}
    admin = {"sub": f"oxadmin-{world.tag}", "roles": "institution_admin",
             "institution_id": world.oxford["id"], "timezone": "Europe/London", "locale": "en"}
    page = new_page()
    sign_in(page, admin, "/admin/courses/new")
    for label, value in (("Code", code), ("Title", f"Anatomy {code}"), ("Discipline", "medicine"),
                         ("Level", "postgraduate"), ("Credits", "5"),
                         ("Languages (comma-separated, e.g. en, zh-Hans)", "en")):
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Faculty (one per line: user id:lead, instructor or ta)").fill(
        f"{invitee['sub']}:instructor")
    page.get_by_role("button", name="Create the course").click()
    expect(page.locator("h1")).to_have_text("Administration")
    member = page.locator(f"li[data-user='{invitee['sub']}']")
    expect(member).to_have_attribute("data-status", "invited")
    expect(member).to_contain_text("invited, not yet accepted")
    accessible(page, "admin-invited")

    teacher = new_page()
    sign_in(teacher, invitee, "/")
    teacher.get_by_role("navigation", name="Main").get_by_role("link", name="Invitations").click()
    expect(teacher.locator("h1")).to_have_text("Invitations to teach")
    row = teacher.locator("#invitations tbody tr", has_text=code)
    expect(row).to_contain_text("instructor")
    accessible(teacher, "invitations")
    row.get_by_role("button", name="Accept").click()
    expect(teacher.locator(".flash.success")).to_contain_text(f"You now teach Anatomy {code}.")
    expect(teacher.locator("#invitations tbody tr", has_text=code)).to_have_count(0)
    expect(teacher.get_by_role("link", name="Invitations")).to_have_count(0)

    page.reload()
    expect(member).to_have_attribute("data-status", "active")
    expect(member).not_to_contain_text("invited")
