"""Portal formatting: CLDR dates in locale and zone, join and enrollment windows, eligibility."""

from datetime import UTC, datetime, timedelta

from meridian_portal.formatting import (
    eligibility,
    format_instant,
    join_state,
    window_state,
    zone_label,
)
from meridian_portal.i18n import supported

START = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
END = START + timedelta(hours=1)


def test_instant_is_shown_in_the_viewers_zone_and_locale():
    assert format_instant("2027-03-01T08:00:00Z", "Asia/Shanghai", "en", "short") == \
        "3/1/27, 4:00\u202fPM"
    assert format_instant("2027-03-01T08:00:00Z", "Asia/Shanghai", "zh_Hans", "short") == \
        "2027/3/1 16:00"


def test_zone_label_names_the_place_in_the_locale():
    assert zone_label("Europe/London", "en") == "United Kingdom Time (Europe/London)"
    assert "中国" in zone_label("Asia/Shanghai", "zh_Hans")
    assert zone_label("UTC", "zh_Hans") == "UTC"


def test_join_opens_fifteen_minutes_before_start_and_closes_at_the_end():
    assert join_state(START, END, START - timedelta(minutes=16)) == \
        ("not_started", START - timedelta(minutes=15))
    assert join_state(START, END, START - timedelta(minutes=15)) == ("open", None)
    assert join_state(START, END, END - timedelta(seconds=1)) == ("open", None)
    assert join_state(START, END, END) == ("ended", None)


def test_enrollment_window_states():
    assert window_state(START, END, START - timedelta(seconds=1)) == "not_open_yet"
    assert window_state(START, END, START) == "open"
    assert window_state(START, END, END) == "closed"


def test_eligibility_explains_why():
    changchun = {"id": "i1", "name": "Changchun", "country": "CN", "alliances": ["med"]}
    assert eligibility(None, changchun) == (True, "everyone", [])
    assert eligibility({"institutions": ["i1"]}, changchun)[:2] == (True, "institution")
    assert eligibility({"alliances": ["med", "x"]}, changchun) == (True, "alliance", ["med"])
    assert eligibility({"countries": ["CN"]}, changchun)[:2] == (True, "country")
    assert eligibility({"countries": ["GB"]}, changchun) == (False, "not_listed", [])
    assert eligibility({"countries": ["GB"]}, None) == (False, "no_institution", [])


def test_language_tags_map_to_catalogues():
    assert supported("zh-Hans") == "zh_Hans"
    assert supported("zh-CN") == "zh_Hans"
    assert supported("zh-TW") is None
    assert supported("en-GB") == "en"
    assert supported("fr") is None
    assert supported("not a tag") is None
