"""Faculty choose an offering's meeting provider; a public Jitsi room is said as such."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import accessible, sign_in


def test_lead_chooses_a_public_jitsi_room_and_the_sessions_say_so(world, new_page):
    offering = world.offering()
    world.session_soon(offering["id"], 90, "Anatomy live")
    lead = world.lead_identity()
    page = new_page()
    sign_in(page, lead, f"/offerings/{offering['id']}/roster")
    meeting = page.locator("#meeting")
    expect(meeting).to_contain_text("Nobody has chosen yet")
    session = page.locator("tbody tr", has_text="Anatomy live")
    expect(session.locator(".public-room")).to_have_count(0)

    # An external platform without its link is refused with the reason, nothing saved.
    meeting.get_by_label("Another platform: a meeting link of your own").check()
    meeting.get_by_role("button", name="Save the meeting provider").click()
    expect(page.locator(".flash.error")).to_have_text(
        "Give the meeting link (https://…) of the other platform.")
    expect(page.locator("#meeting")).to_contain_text("Nobody has chosen yet")
    # A link that is not https is the API's to refuse; its reason is shown, nothing saved.
    page.locator("#meeting").get_by_label("Another platform: a meeting link of your own").check()
    page.locator("#provider-url").fill("http://meeting.example/j/1")
    page.locator("#meeting").get_by_role("button", name="Save the meeting provider").click()
    expect(page.locator(".flash.error")).to_contain_text("https://")
    expect(page.locator("#meeting")).to_contain_text("Nobody has chosen yet")

    page.locator("#meeting").get_by_label(
        "Jitsi public room: anyone with the link can enter").check()
    page.locator("#meeting").get_by_role("button", name="Save the meeting provider").click()
    expect(page.locator(".flash.success")).to_have_text("The meeting provider has been saved.")
    expect(page.locator("#meeting")).to_contain_text("Chosen by the faculty.")
    expect(page.locator("#provider-jitsi_public")).to_be_checked()
    expect(page.locator("tbody tr", has_text="Anatomy live").locator(".public-room")).to_have_text(
        "Public room: anyone with the link can enter.")
    accessible(page, "roster-meeting")
    chosen = lead["api"].get(f"/api/v1/offerings/{offering['id']}/meeting-provider").json()
    assert chosen["provider"] == "jitsi" and chosen["public_room"] is True
