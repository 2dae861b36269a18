"""Request bodies: nothing a client may not set gets through."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from meridian_enrollment.api.schemas import BulkIn, DrawIn, EnrollIn


@pytest.mark.parametrize("body", [{"status": "confirmed"}, {"waitlist_position": 1},
                                  {"seat_no": 1}, {"student_id": "bad id"},
                                  {"student_id": ""}, {"student_id": 5}])
def test_enroll_body_refuses_fields_a_client_may_not_set(body):
    with pytest.raises(ValidationError):
        EnrollIn().load(body)


def test_enroll_body_may_be_empty_or_name_the_student():
    assert EnrollIn().load({}) == {}
    assert EnrollIn().load({"student_id": "auth0|abc.1"}) == {"student_id": "auth0|abc.1"}


def test_bulk_needs_unique_ids_within_bounds():
    assert BulkIn().load({"student_ids": ["a", "b"]}) == {"student_ids": ["a", "b"]}
    for body in ({"student_ids": []}, {"student_ids": ["a", "a"]},
                 {"student_ids": [f"s{i}" for i in range(1001)]}, {},
                 {"student_ids": ["a"], "status": "confirmed"}):
        with pytest.raises(ValidationError):
            BulkIn().load(body)


def test_draw_body_checks_seed_and_quotas():
    assert DrawIn().load({}) == {}
    assert DrawIn().load({"seed": "any seed, ok", "quotas": {"ins_1": 2}}) == {
        "seed": "any seed, ok", "quotas": {"ins_1": 2}}
    for body in ({"seed": ""}, {"seed": "a\nb"}, {"seed": "x" * 129},
                 {"quotas": {"ins_1": -1}}, {"quotas": {"ins_1": 1.5}},
                 {"quotas": {"a.b$c d": 1}}, {"selected": ["s1"]}):
        with pytest.raises(ValidationError):
            DrawIn().load(body)
