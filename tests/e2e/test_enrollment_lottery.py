"""Lottery offerings: apply in the window, draw once after it, and anyone can re-run the draw."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.test_enrollment_support import (  # noqa: F401 (fixtures)
    Student,
    bearer,
    edb_fixture,
    gw_catalog_fixture,
    gw_fixture,
    wait_for_view,
)
from tests.support import make_token, unique, wait_for

RESULT = ("seed", "algorithm", "applicants", "applicants_digest", "places", "quotas",
          "selected", "waitlisted")


def result(draw: dict) -> dict:
    """The reproducible part of a draw response."""
    return {k: draw[k] for k in RESULT}


def at(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).isoformat()


def verify_independently(draw: dict) -> tuple[list[str], list[str]]:
    """Re-run a draw from its response alone, as docs/lottery.md tells anyone to."""
    ids = sorted(a["student_id"] for a in draw["applicants"])
    institution = {a["student_id"]: a["institution_id"] for a in draw["applicants"]}
    digest = hashlib.sha256("".join(i + "\n" for i in ids).encode()).hexdigest()
    assert digest == draw["applicants_digest"]

    def ticket(i):
        return hashlib.sha256(f"{draw['seed']}:{i}".encode()).hexdigest()

    selected, waitlisted, taken = [], [], {}
    for i in sorted(ids, key=lambda i: (ticket(i), i)):
        quota = draw["quotas"].get(institution[i])
        if len(selected) < draw["places"] and (quota is None
                                               or taken.get(institution[i], 0) < quota):
            selected.append(i)
            taken[institution[i]] = taken.get(institution[i], 0) + 1
        else:
            waitlisted.append(i)
    return selected, waitlisted


class Lottery:
    """A lottery offering of a fresh provider, and the people around it."""

    def __init__(self, gw, catalog, edb, capacity: int, opens: timedelta = timedelta(hours=-1)):
        self.gw, self.catalog, self.edb = gw, catalog, edb
        self.provider = catalog.institution("GB")
        self.partner = catalog.institution("CN")
        course = catalog.course(self.provider["id"])
        self.offering = catalog.offering(course["id"], capacity=capacity, selection="lottery",
                                         opens=opens, closes=timedelta(hours=2))
        self.id = self.offering["id"]
        self.admin = bearer(make_token(unique("ia-"), ["institution_admin"],
                                       self.provider["id"]))
        wait_for_view(edb, self.id)

    def open(self) -> None:
        """Move the window's opening into the past."""
        self.catalog.patch_offering(self.id, enrollment_opens_at=at(timedelta(hours=-1)))
        wait_for_view(self.edb, self.id, check=lambda row: row["enrollment_opens_at"]
                      .replace(tzinfo=UTC) < datetime.now(UTC))

    def close(self) -> None:
        """Move the window's closing into the past."""
        self.catalog.patch_offering(self.id, enrollment_closes_at=at(timedelta(minutes=-1)))
        wait_for_view(self.edb, self.id, check=lambda row: row["enrollment_closes_at"]
                      .replace(tzinfo=UTC) < datetime.now(UTC))

    def apply(self, students: list[Student]) -> list[dict]:
        out = []
        for student in students:
            response = self.gw.enroll(self.id, student)
            assert response.status_code == 201, response.text
            out.append(response.json())
        return out

    def draw(self, body: dict, who=None):
        return self.gw.post(f"/api/v1/offerings/{self.id}/draw", who or self.admin, body)

    def drawn(self, body: dict) -> dict:
        """Draw, then wait until every application got its outcome (big draws finish later)."""
        first = self.draw(body)
        assert first.status_code == 200, first.text
        wait_for(lambda: self.draw({}).json()["complete"], timeout=120, interval=1.0,
                 message="the draw to be applied")
        return first.json()


@pytest.mark.timeout(600)
def test_apply_in_the_window_then_a_verifiable_draw(gw, gw_catalog, edb):
    lottery = Lottery(gw, gw_catalog, edb, capacity=3, opens=timedelta(hours=1))
    early = gw.enroll(lottery.id, Student(lottery.provider["id"]))
    assert (early.status_code, early.json()["code"]) == (422, "enrollment_not_open")
    lottery.open()
    applicants = [Student(lottery.provider["id"]) for _ in range(2)] + [
        Student(lottery.partner["id"]) for _ in range(4)]
    applied = lottery.apply(applicants)
    assert {(e["status"], e["waitlist_position"]) for e in applied} == {("applied", None)}
    assert lottery.draw({"seed": "x"}).json()["code"] == "enrollment_window_open"

    lottery.close()
    late = gw.enroll(lottery.id, Student(lottery.provider["id"]))
    assert (late.status_code, late.json()["code"]) == (422, "enrollment_closed")
    assert lottery.draw({}, applicants[0].headers).status_code == 403
    outsider = bearer(make_token(unique("ia-"), ["institution_admin"], lottery.partner["id"]))
    assert lottery.draw({}, outsider).status_code == 403
    draw = lottery.drawn({"seed": "committee-2027"})

    assert draw["seed"] == "committee-2027" and draw["algorithm"] == "sha256-rank-v1"
    assert "committee-2027" in draw["how_to_verify"]
    assert (draw["selected"], draw["waitlisted"]) == verify_independently(draw)
    assert len(draw["selected"]) == 3 and len(draw["waitlisted"]) == 3
    by_student = {s.id: e["id"] for s, e in zip(applicants, applied, strict=True)}
    for position, student_id in enumerate(draw["waitlisted"], start=1):
        shown = gw.get(f"/api/v1/enrollments/{by_student[student_id]}", lottery.admin).json()
        assert (shown["status"], shown["waitlist_position"]) == ("waitlisted", position)
    roster = gw.roster(lottery.id)
    assert sorted(e["student_id"] for e in roster["confirmed"]) == sorted(draw["selected"])
    assert [e["student_id"] for e in roster["waitlisted"]] == draw["waitlisted"]
    assert roster["applied"] == []

    assert result(lottery.draw({}).json()) == result(draw)
    assert result(lottery.draw({"seed": "committee-2027"}).json()) == result(draw)
    assert lottery.draw({"seed": "another"}).json()["code"] == "already_drawn"
    leaver = next(s for s in applicants if s.id == draw["selected"][0])
    assert gw.withdraw(by_student[leaver.id], leaver).status_code == 200
    head = gw.get(f"/api/v1/enrollments/{by_student[draw['waitlisted'][0]]}", lottery.admin)
    assert head.json()["status"] == "confirmed"


@pytest.mark.timeout(600)
def test_same_seed_and_applicants_give_the_same_draw(gw, gw_catalog, edb):
    twins = [Lottery(gw, gw_catalog, edb, capacity=2) for _ in range(2)]
    ids = [unique("stu-") for _ in range(7)]
    for lottery in twins:
        lottery.apply([Student(None, user_id=i) for i in ids])
        lottery.close()

    draws = [lottery.drawn({"seed": "open-and-fair"}) for lottery in twins]

    assert draws[0]["selected"] == draws[1]["selected"]
    assert draws[0]["waitlisted"] == draws[1]["waitlisted"]
    assert draws[0]["applicants_digest"] == draws[1]["applicants_digest"]


@pytest.mark.timeout(600)
def test_quotas_cap_an_institution_in_the_draw_and_in_later_promotions(gw, gw_catalog, edb):
    lottery = Lottery(gw, gw_catalog, edb, capacity=4)
    home = [Student(lottery.provider["id"]) for _ in range(2)]
    guests = [Student(lottery.partner["id"]) for _ in range(4)]
    applied = lottery.apply(home + guests)
    enrollment_of = {e["student_id"]: e["id"] for e in applied}
    lottery.close()

    draw = lottery.drawn({"seed": "quota", "quotas": {lottery.partner["id"]: 1}})

    guest_ids = {g.id for g in guests}
    assert sorted(draw["selected"]) == sorted([h.id for h in home] + [
        next(i for i in draw["selected"] if i in guest_ids)])
    assert len(draw["waitlisted"]) == 3 and set(draw["waitlisted"]) <= guest_ids
    assert (draw["selected"], draw["waitlisted"]) == verify_independently(draw)
    assert gw.withdraw(enrollment_of[home[0].id], home[0]).status_code == 200
    roster = gw.roster(lottery.id)
    assert len(roster["confirmed"]) == 2 and len(roster["waitlisted"]) == 3
    seated_guest = next(g for g in guests if g.id in draw["selected"])
    assert gw.withdraw(enrollment_of[seated_guest.id], seated_guest).status_code == 200
    roster = gw.roster(lottery.id)
    assert [e["student_id"] for e in roster["confirmed"] if e["student_id"] in guest_ids] == [
        draw["waitlisted"][0]]


def test_draw_without_a_seed_picks_and_returns_one(gw, gw_catalog, edb):
    lottery = Lottery(gw, gw_catalog, edb, capacity=1)
    lottery.apply([Student() for _ in range(2)])
    lottery.close()

    draw = lottery.drawn({})

    assert len(draw["seed"]) == 32 and int(draw["seed"], 16) >= 0
    assert (draw["selected"], draw["waitlisted"]) == verify_independently(draw)


def test_first_come_offerings_have_no_draw(gw, gw_catalog, edb):
    catalog_course = gw_catalog.course(gw_catalog.institution()["id"])
    offering = gw_catalog.offering(catalog_course["id"])
    wait_for_view(edb, offering["id"])
    admin = bearer(make_token("platform-admin", ["admin"]))
    response = gw.post(f"/api/v1/offerings/{offering['id']}/draw", admin, {})
    assert (response.status_code, response.json()["code"]) == (409, "not_a_lottery")


@pytest.mark.timeout(600)
def test_students_read_the_seed_and_counts_and_staff_the_lists(gw, gw_catalog, edb):
    lottery = Lottery(gw, gw_catalog, edb, capacity=2)
    applicants = [Student(lottery.provider["id"]) for _ in range(4)]
    applied = lottery.apply(applicants)
    mine = f"/api/v1/enrollments/{applied[0]['id']}"
    assert gw.get(mine, applicants[0].headers).json()["draw"] is None
    path = f"/api/v1/offerings/{lottery.id}/draw"
    before = gw.get(path, applicants[0].headers)
    assert (before.status_code, before.json()["code"]) == (404, "not_drawn")
    assert gw.get(path, Student(lottery.provider["id"]).headers).status_code == 403
    lottery.close()
    draw = lottery.drawn({"seed": "read-me"})

    seen = gw.get(path, applicants[0].headers)
    assert seen.status_code == 200, seen.text
    public = seen.json()
    assert (public["seed"], public["drawn_at"]) == ("read-me", draw["drawn_at"])
    assert public["counts"] == {"applicants": 4, "selected": 2, "waitlisted": 2}
    assert public["how_to_verify"] == draw["how_to_verify"]
    assert not {"applicants", "selected", "waitlisted", "drawn_by"} & public.keys()
    others = {s.id for s in applicants[1:]}
    assert not any(other in seen.text for other in others)
    outline = {"seed": "read-me", "drawn_at": draw["drawn_at"],
               "selected": applicants[0].id in draw["selected"]}
    assert gw.get(mine, applicants[0].headers).json()["draw"] == outline
    listed = gw.get(f"/api/v1/me/enrollments?offering_id={lottery.id}", applicants[0].headers)
    assert [item["draw"] for item in listed.json()["items"]] == [outline]
    staff = gw.get(path, lottery.admin).json()
    assert result(staff) == result(draw) and staff["counts"] == public["counts"]
    assert (staff["selected"], staff["waitlisted"]) == verify_independently(staff)


def test_a_first_come_offering_has_no_draw_to_read(gw, gw_catalog, edb):
    catalog_course = gw_catalog.course(gw_catalog.institution()["id"])
    offering = gw_catalog.offering(catalog_course["id"])
    wait_for_view(edb, offering["id"])
    admin = bearer(make_token("platform-admin", ["admin"]))
    response = gw.get(f"/api/v1/offerings/{offering['id']}/draw", admin)
    assert (response.status_code, response.json()["code"]) == (404, "not_drawn")
