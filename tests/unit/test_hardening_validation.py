"""Reusable fields: visible names, canonical IANA zones, datetimes that exist in UTC."""

from datetime import UTC, datetime

import pytest
from marshmallow import Schema, ValidationError, fields

from meridian_common.web.validation import (
    IanaZone,
    UtcDateTime,
    VisibleText,
    is_iana_zone,
    refuse_bidi_controls,
)


class Named(Schema):
    name = VisibleText(required=True, max_length=50)
    zone = IanaZone()
    at = UtcDateTime()
    url = fields.Url(validate=refuse_bidi_controls)


@pytest.mark.parametrize("name", [
    "\u200b\u200b", "\u2060", "\u3164\u3164", "\u00ad", "\u200e\u200f", "\u2800",
    "\u0301", "\ufeff \u200c",
])
def test_names_made_only_of_invisible_characters_are_refused(name):
    with pytest.raises(ValidationError) as info:
        Named().load({"name": name})
    assert "name" in info.value.messages


@pytest.mark.parametrize("name", ["evil\u202etxt.exe", "a\u202ab", "\u2066x\u2069", "x\u2068"])
def test_bidi_overrides_and_isolates_are_refused(name):
    with pytest.raises(ValidationError):
        Named().load({"name": name})


@pytest.mark.parametrize("name", ["Mathématiques", "مقدمة في الفيزياء", "物理学入门", "C++ 101",
                                  "Café\u200dBar"])
def test_real_names_pass(name):
    assert Named().load({"name": name})["name"] == name


def test_meeting_urls_carry_no_bidi_controls():
    with pytest.raises(ValidationError):
        Named().load({"name": "x", "url": "https://meet.example.org/\u202eroom"})
    assert Named().load({"name": "x", "url": "https://meet.example.org/room"})


@pytest.mark.parametrize("zone", ["localtime", "posixrules", "Factory", "Europe/../UTC",
                                  " UTC", "europe/london", "posix/Europe/London", ""])
def test_zones_outside_the_iana_database_are_refused(zone):
    assert not is_iana_zone(zone)
    with pytest.raises(ValidationError):
        Named().load({"name": "x", "zone": zone})


@pytest.mark.parametrize("zone", ["UTC", "Europe/London", "America/Argentina/Buenos_Aires",
                                  "Asia/Kolkata"])
def test_iana_zones_pass(zone):
    assert Named().load({"name": "x", "zone": zone})["zone"] == zone


@pytest.mark.parametrize("text", ["9999-12-31T23:59:59-23:00", "0001-01-01T00:00:00+14:00",
                                  "9999-12-31T23:59:59-00:01"])
def test_datetimes_whose_utc_time_overflows_are_a_validation_error(text):
    with pytest.raises(ValidationError) as info:
        Named().load({"name": "x", "at": text})
    assert "at" in info.value.messages


def test_extreme_but_representable_datetimes_pass_as_utc():
    loaded = Named().load({"name": "x", "at": "9999-12-31T10:00:00-13:00"})["at"]
    assert loaded == datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
