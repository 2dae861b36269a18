"""Eligibility by institution, alliance or country of the student's institution."""

from __future__ import annotations

import pytest

from meridian_enrollment.domain.eligibility import (
    InstitutionFacts,
    eligibility_refusal,
    is_restricted,
)
from meridian_enrollment.domain.refusals import NOT_ALLOWED

OXFORD = InstitutionFacts(country="GB", alliances=("med-alliance",))
JILIN = InstitutionFacts(country="CN", alliances=("asia-med",))


@pytest.mark.parametrize("eligibility", [None, {}, {"institutions": [], "alliances": [],
                                                     "countries": []}])
def test_unrestricted_offerings_take_everyone(eligibility):
    assert not is_restricted(eligibility)
    assert eligibility_refusal(eligibility, None, None) is None


def test_listed_institution_is_eligible_even_when_unknown_to_the_read_model():
    assert eligibility_refusal({"institutions": ["ins-1"]}, "ins-1", None) is None


def test_alliance_member_is_eligible():
    assert eligibility_refusal({"alliances": ["med-alliance"]}, "ins-ox", OXFORD) is None


def test_country_is_eligible():
    assert eligibility_refusal({"countries": ["CN"]}, "ins-jl", JILIN) is None


def test_outsider_is_refused_with_a_reason():
    refusal = eligibility_refusal({"alliances": ["med-alliance"], "countries": ["GB"]},
                                  "ins-jl", JILIN)
    assert refusal.kind == NOT_ALLOWED and refusal.code == "not_eligible"
    assert refusal.extra["reason"] == "not_eligible"
    assert "med-alliance" in refusal.detail and "ins-jl" in refusal.detail


def test_student_without_institution_is_refused():
    refusal = eligibility_refusal({"countries": ["GB"]}, None, None)
    assert refusal.extra["reason"] == "no_institution"


def test_unknown_institution_cannot_prove_alliance_or_country():
    refusal = eligibility_refusal({"countries": ["GB"]}, "ins-new", None)
    assert refusal.extra["reason"] == "institution_unknown"
