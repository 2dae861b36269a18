"""Value validation shared by every service (zones, countries, languages, timestamps)."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from marshmallow import Schema, ValidationError

from meridian_common.web.validation import (
    CountryCode,
    IanaZone,
    LanguageTag,
    SafeString,
    Slug,
    UtcDateTime,
)


class Sample(Schema):
    zone = IanaZone()
    country = CountryCode()
    language = LanguageTag()
    slug = Slug()
    text = SafeString(max_length=5)
    at = UtcDateTime()


@pytest.mark.parametrize("zone", ["Europe/London", "Asia/Shanghai", "America/Sao_Paulo", "UTC"])
def test_real_iana_zones_pass(zone):
    assert Sample().load({"zone": zone}) == {"zone": zone}


@pytest.mark.parametrize("zone", ["Mars/Olympus", "europe/london ", "../etc/passwd", "", "GMT+8x",
                                  "Europe/", 42])
def test_anything_else_is_not_a_zone(zone):
    with pytest.raises(ValidationError) as err:
        Sample().load({"zone": zone})
    assert "zone" in err.value.messages


def test_country_codes_are_upper_cased_and_checked():
    assert Sample().load({"country": "gb"}) == {"country": "GB"}
    for bad in ("UK", "GBR", "XX", "1"):
        with pytest.raises(ValidationError):
            Sample().load({"country": bad})


def test_language_tags_are_normalised_bcp47():
    assert Sample().load({"language": "EN-gb"}) == {"language": "en-GB"}
    assert Sample().load({"language": "zh-Hans"}) == {"language": "zh-Hans"}
    for bad in ("english", "x", "xx-yy", "en_GB!"):
        with pytest.raises(ValidationError):
            Sample().load({"language": bad})


def test_slugs_and_safe_strings():
    assert Sample().load({"slug": "med-alliance-2"}) == {"slug": "med-alliance-2"}
    for bad in ("Med", "a--b", "-a", "a b"):
        with pytest.raises(ValidationError):
            Sample().load({"slug": bad})
    assert Sample().load({"text": "  ok  "}) == {"text": "ok"}
    for bad in ("", "   ", "toolong", "a\x00b"):
        with pytest.raises(ValidationError):
            Sample().load({"text": bad})


def test_timestamps_need_an_offset_and_come_back_in_utc():
    loaded = Sample().load({"at": "2027-03-01T14:00:00+08:00"})["at"]
    assert loaded == datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
    assert Sample().dump({"at": loaded})["at"] == "2027-03-01T06:00:00Z"
    shifted = datetime(2027, 3, 1, 6, 0, 0, 250_000, tzinfo=timezone(timedelta(hours=1)))
    assert Sample().dump({"at": shifted})["at"] == "2027-03-01T05:00:00.250Z"
    with pytest.raises(ValidationError):
        Sample().load({"at": "2027-03-01T14:00:00"})
