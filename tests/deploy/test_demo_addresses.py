"""The demo gives every dev sign-in persona a mail address, so `make up` fills Mailpit."""

from __future__ import annotations

from meridian_portal.views.devauth import PERSONAS

from meridian_ops.demo import addresses


def test_every_sign_in_persona_has_an_address_name_and_the_portals_language():
    people = {sub: (role, locale, zone) for sub, role, _name, locale, zone in addresses.PEOPLE}
    for persona in PERSONAS:
        if persona["key"] == "admin":
            continue  # the platform admin causes no course notices
        role, locale, zone = people[persona["sub"]]
        assert (locale, zone) == (persona["locale"], persona["timezone"])
        assert role in persona["roles"].split(",")
    assert addresses.address("stu-changchun-001") == "stu-changchun-001@demo.meridian.test"
