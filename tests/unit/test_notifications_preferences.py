"""Preference rules and use cases: validation, defaults from the token, versions, unsubscribe."""

from dataclasses import replace

import pytest

from meridian_notifications.application.errors import NotFound, StaleVersion
from meridian_notifications.application.ports import Identity
from meridian_notifications.application.preferences import PreferencesService
from meridian_notifications.domain.locales import closest
from meridian_notifications.domain.preferences import (
    Channels,
    InvalidPreferences,
    NotificationPreferences,
    apply_changes,
    defaults_for,
)
from meridian_notifications.domain.unsubscribe import token_holder, unsubscribe_token
from tests.unit.notifications_fakes import FakePreferences

SECRET = "test-secret"
ME = Identity(user_id="u1", email="li@example.cn", name="Li Wei", locale="zh-CN",
              timezone="Asia/Shanghai")


def _tampered(token: str) -> str:
    return token[:-1] + ("B" if token.endswith("A") else "A")


def _service(repo=None):
    return PreferencesService(repo or FakePreferences(), SECRET)


@pytest.mark.parametrize(("changes", "field"), [
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"timezone": "+08:00"}, "timezone"),
    ({"locale": "fr"}, "locale"),
    ({"locale": "zh-Hant"}, "locale"),
    ({"reminders_minutes": [-5]}, "reminders_minutes"),
    ({"reminders_minutes": [7 * 24 * 60 + 1]}, "reminders_minutes"),
    ({"reminders_minutes": [60, 60]}, "reminders_minutes"),
    ({"reminders_minutes": [1, 2, 3, 4, 5, 6, 7]}, "reminders_minutes"),
    ({"reminders_minutes": [True]}, "reminders_minutes"),
    ({"reminders_minutes": "60"}, "reminders_minutes"),
    ({"digest": "weekly"}, "digest"),
    ({"channels": {"email": True}}, "channels"),
    ({"email": "x@example.org"}, "email"),
    ({"colour": "blue"}, "colour"),
])
def test_invalid_values_are_refused_by_field(changes, field):
    with pytest.raises(InvalidPreferences) as caught:
        apply_changes(NotificationPreferences(user_id="u1"), changes)
    assert set(caught.value.errors) == {field}


def test_valid_changes_are_normalised():
    prefs = apply_changes(NotificationPreferences(user_id="u1"), {
        "locale": "zh-hans", "timezone": "Europe/London", "reminders_minutes": [0, 60, 1440],
        "digest": "daily", "channels": Channels(email=False, portal=True)})
    assert prefs.locale == "zh-Hans"
    assert prefs.reminders_minutes == (1440, 60, 0)
    assert (prefs.timezone, prefs.digest, prefs.channels.email) == ("Europe/London", "daily",
                                                                     False)


def test_no_reminders_at_all_is_a_choice():
    assert apply_changes(NotificationPreferences(user_id="u1"),
                         {"reminders_minutes": []}).reminders_minutes == ()


@pytest.mark.parametrize(("tag", "locale"), [
    (None, "en"), ("en-GB", "en"), ("zh-CN", "zh-Hans"), ("zh_Hant_TW", "zh-Hans"),
    ("zh-Hans", "zh-Hans"), ("de-DE", "en"), ("", "en")])
def test_token_locales_map_to_a_supported_one(tag, locale):
    assert closest(tag) == locale


def test_defaults_follow_the_token_and_remind_a_day_and_an_hour_before():
    prefs = defaults_for("u1", locale="zh-CN", timezone="Asia/Shanghai")
    assert (prefs.locale, prefs.timezone, prefs.reminders_minutes, prefs.digest) == (
        "zh-Hans", "Asia/Shanghai", (1440, 60), "off")
    assert prefs.channels == Channels(email=True, portal=True)
    assert defaults_for("u2", locale=None, timezone="Nowhere/Land").timezone == "UTC"


def test_viewing_records_the_token_and_gives_an_unsubscribe_token():
    repo = FakePreferences()
    prefs = _service(repo).view(ME)
    assert repo.identities["u1"] == ME
    assert (prefs.email, prefs.name, prefs.locale, prefs.timezone) == (
        "li@example.cn", "Li Wei", "zh-Hans", "Asia/Shanghai")
    assert prefs.emails_wanted
    assert token_holder(prefs.unsubscribe_token, SECRET) == "u1"


def test_a_user_without_an_address_gets_portal_notices_only():
    prefs = _service().view(Identity(user_id="u2"))
    assert prefs.email is None and not prefs.emails_wanted and prefs.channels.portal


def test_a_change_stores_the_next_version_and_keeps_other_fields():
    repo = FakePreferences()
    service = _service(repo)
    service.change(ME, {"digest": "daily"})
    prefs = service.change(ME, {"reminders_minutes": [30]})
    assert prefs.version == 2
    assert (prefs.digest, prefs.reminders_minutes, prefs.locale) == ("daily", (30,), "zh-Hans")


def test_an_invalid_change_stores_nothing():
    repo = FakePreferences()
    with pytest.raises(InvalidPreferences):
        _service(repo).change(ME, {"digest": "daily", "timezone": "Mars/Olympus"})
    assert repo.versions == {}


def test_a_concurrent_change_is_retried_on_the_newer_version():
    repo = FakePreferences()
    other = replace(defaults_for("u1", locale=None, timezone=None), digest="daily")
    repo.interleaved = [other]
    prefs = _service(repo).change(ME, {"reminders_minutes": [15]})
    assert prefs.version == 2
    assert prefs.digest == "daily" and prefs.reminders_minutes == (15,)


def test_endless_races_end_in_stale_version():
    repo = FakePreferences()
    repo.interleaved = [defaults_for("u1", locale=None, timezone=None)] * 10
    with pytest.raises(StaleVersion):
        _service(repo).change(ME, {"digest": "daily"})


def test_unsubscribe_turns_email_off_once_and_keeps_the_rest():
    repo = FakePreferences()
    service = _service(repo)
    service.change(ME, {"digest": "daily"})
    token = unsubscribe_token("u1", SECRET)
    prefs = service.unsubscribe(token)
    assert prefs.channels == Channels(email=False, portal=True) and prefs.digest == "daily"
    again = service.unsubscribe(token)
    assert again.version == prefs.version


def test_unsubscribe_works_for_users_who_never_opened_their_preferences():
    repo = FakePreferences()
    prefs = _service(repo).unsubscribe(unsubscribe_token("bulk-student", SECRET))
    assert not prefs.channels.email and repo.versions["bulk-student"][-1].version == 1


@pytest.mark.parametrize("token", [
    "", "abc", unsubscribe_token("u1", "another-secret"),
    _tampered(unsubscribe_token("u1", SECRET)), unsubscribe_token("u1", SECRET) + "x",
    "!!!." + "a" * 32])
def test_tokens_not_issued_with_the_secret_are_not_found(token):
    with pytest.raises(NotFound):
        _service().unsubscribe(token)
