"""The lottery draw is a pure, re-implementable function of seed, applicants and quotas."""

from __future__ import annotations

import hashlib
import random

from meridian_enrollment.domain import lottery

APPLICANTS = {"stu-a": "ins-1", "stu-b": "ins-1", "stu-c": "ins-2", "stu-d": None,
              "stu-e": "ins-2"}


def test_known_answer_pins_the_documented_algorithm():
    result = lottery.draw("meridian-2026", APPLICANTS, 3)
    assert result.order == ["stu-a", "stu-d", "stu-b", "stu-c", "stu-e"]
    assert result.selected == ["stu-a", "stu-d", "stu-b"]
    assert result.waitlisted == ["stu-c", "stu-e"]


def test_order_is_sha256_of_seed_colon_id_reimplemented_independently():
    ids = [f"student-{i}" for i in range(40)]
    expected = sorted(ids, key=lambda a: hashlib.sha256(f"s33d:{a}".encode()).hexdigest())
    assert lottery.draw_order("s33d", ids) == expected


def test_same_inputs_give_the_same_result_whatever_the_input_order():
    ids = [f"student-{i}" for i in range(100)]
    shuffled = ids[:]
    random.Random(7).shuffle(shuffled)
    first = lottery.draw("seed-1", {i: None for i in ids}, 10)
    second = lottery.draw("seed-1", {i: None for i in shuffled}, 10)
    assert first == second


def test_another_seed_gives_another_order():
    ids = {f"student-{i}": None for i in range(50)}
    assert lottery.draw("one", ids, 5).order != lottery.draw("two", ids, 5).order


def test_everyone_is_either_selected_or_waitlisted_once():
    ids = {f"student-{i}": f"ins-{i % 3}" for i in range(30)}
    result = lottery.draw("x", ids, 12)
    assert len(result.selected) == 12
    assert sorted(result.selected + result.waitlisted) == sorted(ids)
    assert result.selected + result.waitlisted == result.order


def test_fewer_applicants_than_places_selects_everyone():
    result = lottery.draw("x", {"a": None, "b": None}, 5)
    assert sorted(result.selected) == ["a", "b"]
    assert result.waitlisted == []


def test_quota_caps_an_institution_and_waitlists_the_rest_in_draw_order():
    ids = {f"a{i}": "ins-a" for i in range(10)} | {f"b{i}": "ins-b" for i in range(10)}
    result = lottery.draw("fair", ids, 8, {"ins-a": 2})
    from_a = [s for s in result.selected if ids[s] == "ins-a"]
    assert len(from_a) == 2
    assert len(result.selected) == 8
    assert from_a == [s for s in result.order if ids[s] == "ins-a"][:2]
    assert result.waitlisted == [s for s in result.order if s not in result.selected]


def test_zero_quota_selects_nobody_from_that_institution():
    result = lottery.draw("meridian-2026", APPLICANTS, 3, {"ins-1": 0})
    assert result.selected == ["stu-d", "stu-c", "stu-e"]
    assert result.waitlisted == ["stu-a", "stu-b"]


def test_quota_leaves_places_empty_rather_than_exceeding_it():
    result = lottery.draw("x", {f"a{i}": "ins-a" for i in range(5)}, 4, {"ins-a": 1})
    assert len(result.selected) == 1
    assert len(result.waitlisted) == 4


def test_applicants_digest_is_sha256_of_sorted_ids_with_newlines():
    expected = hashlib.sha256(b"stu-a\nstu-b\n").hexdigest()
    assert lottery.applicants_digest(["stu-b", "stu-a"]) == expected
    assert expected == "4150d947d1805dbf2f197f94c13c45efaa11dd6d6347d1cbc68a65854797cda4"


def test_new_seeds_are_random_hex():
    seeds = {lottery.new_seed() for _ in range(20)}
    assert len(seeds) == 20
    assert all(len(s) == 32 and int(s, 16) >= 0 for s in seeds)


def test_how_to_verify_names_the_seed_places_and_quotas():
    text = lottery.how_to_verify("abc", 7, {"ins-1": 2})
    assert '"abc:<id>"' in text and "7" in text and "ins-1" in text
    assert lottery.ALGORITHM in text
