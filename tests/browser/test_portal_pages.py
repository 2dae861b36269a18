"""Language switch, the remaining pages under axe, sign-in round trip, never a stack trace."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import accessible, sign_in


def test_language_switch_to_chinese_and_back(new_page):
    page = new_page()
    page.goto("/courses")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("#locale-switch").select_option("zh_Hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("h1")).to_have_text("课程")
    accessible(page, "courses-zh")
    page.locator("#locale-switch").select_option("en")
    expect(page.locator("h1")).to_have_text("Courses")


def test_chinese_from_accept_language_and_from_the_users_locale(new_page, world):
    page = new_page(locale="zh-CN")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    accessible(page, "welcome-zh")
    page = new_page(locale="en-GB")
    sign_in(page, {**world.student("stu-zh"), "locale": "zh-Hans"}, "/timetable")
    expect(page.locator("h1")).to_have_text("课表")
    accessible(page, "timetable-zh")


def test_expired_session_signs_in_again_and_returns(new_page, world):
    page = new_page()
    page.goto("/timetable?from=2027-03-01&to=2027-03-31")
    expect(page).to_have_url(re.compile(r"/dev/sign-in\?next="))
    accessible(page, "dev-sign-in")
    form = page.locator("form.stack")
    student = world.student("stu-back")
    for name in ("sub", "roles", "institution_id", "timezone", "locale"):
        form.locator(f"[name={name}]").fill(student[name])
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/timetable\?from=2027-03-01&to=2027-03-31$"))
    page.context.clear_cookies()
    page.goto("/calendar")
    expect(page).to_have_url(re.compile(r"/dev/sign-in\?next=/calendar"))


def test_other_pages_pass_axe(new_page, world):
    page = new_page()
    page.goto("/")
    accessible(page, "welcome")
    page.goto("/courses?q=surgical")
    accessible(page, "courses")
    page.goto("/no/such/page")
    expect(page.locator("h1")).to_have_text("Page not found")
    accessible(page, "not-found")
    sign_in(page, world.student("stu-cal"), "/calendar")
    page.get_by_role("button", name="Make my calendar link").click()
    url = page.locator("#feed-url").input_value()
    assert "/api/v1/calendar/" in url and url.endswith(".ics")
    assert page.get_by_role("link", name="Subscribe in your calendar app").get_attribute(
        "href").startswith("webcal://")
    accessible(page, "calendar")
    page.goto("/timetable?from=2027-04-01&to=2027-03-01")
    expect(page.locator("#range-error")).to_be_visible()
    accessible(page, "timetable-bad-range")
    sign_in(page, world.lead_identity(), "/teaching")
    expect(page.locator("main")).to_contain_text(world.course["code"])
    accessible(page, "teaching")


def test_the_layout_mirrors_under_right_to_left(new_page):
    page = new_page()
    page.goto("/courses")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")

    def edges() -> dict:
        return page.evaluate("""() => ({
            brand: document.querySelector('.brand').getBoundingClientRect().left,
            tools: document.querySelector('.tools').getBoundingClientRect().left,
            overflow: document.documentElement.scrollWidth - window.innerWidth})""")

    ltr = edges()
    assert ltr["brand"] < ltr["tools"]
    # What an Arabic catalogue would give the page: the header and text flow from the right.
    page.evaluate("document.documentElement.dir = 'rtl'")
    rtl = edges()
    assert rtl["brand"] > rtl["tools"] and rtl["overflow"] <= 0
    accessible(page, "courses-rtl")
