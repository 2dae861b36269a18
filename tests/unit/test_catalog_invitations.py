"""Faculty consent: an institution admin's list invites people; only they accept; only
accepted members are announced (and so bookable in the classroom)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from meridian_catalog.application import courses, institutions, invitations
from meridian_catalog.domain.faculty import course_of
from meridian_catalog.domain.refusals import Forbidden, NotFound
from meridian_common.conflicts import Conflict
from meridian_common.events import types
from tests.unit.catalog_fakes import fake_ports


@dataclass(frozen=True)
class Caller:
    user_id: str
    roles: frozenset
    institution_id: str | None = None


ADMIN = Caller("u-root", frozenset({"admin"}))


def as_(caller):
    return lambda: caller


@pytest.fixture
def world():
    ports = fake_ports()
    oxford = institutions.register_institution(ports, as_(ADMIN), {
        "name": "Oxford", "country": "GB", "timezone": "Europe/London", "alliances": []})
    registrar = Caller("u-registrar", frozenset({"institution_admin"}), oxford.id)
    course = courses.create_course(ports, as_(registrar), {
        "code": "SURG-101", "title": "Surgery", "provider_institution_id": oxford.id,
        "languages": ["en"], "summary": "", "tags": [], "faculty": [
            {"user_id": "u-registrar", "role": "lead"},
            {"user_id": "u-elsewhere", "role": "instructor"}]})
    return ports, registrar, course


def announced_faculty(ports) -> list[list[str]]:
    return [[m["user_id"] for m in e["data"]["faculty"]] for e in ports.courses.events]


def test_others_listed_by_an_institution_admin_are_invited_not_faculty(world):
    ports, registrar, course = world
    statuses = {m.user_id: m.status for m in course.faculty}
    assert statuses == {"u-registrar": "active", "u-elsewhere": "invited"}
    courses.move_course(ports, as_(registrar), course.id, "publish")
    assert announced_faculty(ports) == [["u-registrar"]], "an invitee is not announced"


def test_the_invitee_accepts_and_the_course_announces_its_new_team(world):
    ports, registrar, course = world
    courses.move_course(ports, as_(registrar), course.id, "publish")
    invitee = Caller("u-elsewhere", frozenset({"instructor"}), "ins_other")
    ((listed, member),) = invitations.mine(ports, as_(invitee))
    assert listed.id == course.id and course_of(member.invitation_id) == course.id
    with pytest.raises(Forbidden):
        invitations.accept(ports, as_(registrar), member.invitation_id)
    accepted = invitations.accept(ports, as_(invitee), member.invitation_id)
    assert {m.user_id: m.status for m in accepted.faculty}["u-elsewhere"] == "active"
    assert ports.courses.types()[-1] == types.COURSE_UPDATED
    assert announced_faculty(ports)[-1] == ["u-registrar", "u-elsewhere"]
    assert invitations.mine(ports, as_(invitee)) == []
    with pytest.raises(NotFound):
        invitations.accept(ports, as_(invitee), member.invitation_id)


def test_declining_leaves_the_team_and_unknown_invitations_are_not_found(world):
    ports, _registrar, course = world
    invitee = Caller("u-elsewhere", frozenset({"instructor"}))
    ((_course, member),) = invitations.mine(ports, as_(invitee))
    declined = invitations.decline(ports, as_(invitee), member.invitation_id)
    assert [m.user_id for m in declined.faculty] == ["u-registrar"]
    for unknown in (f"{course.id}~0000", "crs_missing~1", "nonsense"):
        with pytest.raises(NotFound):
            invitations.accept(ports, as_(invitee), unknown)


def test_a_platform_admin_s_list_and_kept_members_need_no_invitation(world):
    ports, registrar, course = world
    by_admin = courses.create_course(ports, as_(ADMIN), {
        "code": "SURG-102", "title": "Surgery II", "provider_institution_id":
        course.provider_institution_id, "languages": ["en"], "summary": "", "tags": [],
        "faculty": [{"user_id": "u-any", "role": "lead"}]})
    assert [m.status for m in by_admin.faculty] == ["active"]
    edited = courses.patch_course(ports, as_(registrar), by_admin.id, {"faculty": [
        {"user_id": "u-any", "role": "instructor"}, {"user_id": "u-new", "role": "ta"}]})
    assert {m.user_id: (m.role, m.status) for m in edited.faculty} == {
        "u-any": ("instructor", "active"), "u-new": ("ta", "invited")}


def test_an_archived_course_s_invitations_cannot_be_answered(world):
    ports, registrar, course = world
    courses.move_course(ports, as_(registrar), course.id, "publish")
    courses.move_course(ports, as_(registrar), course.id, "archive")
    invitee = Caller("u-elsewhere", frozenset({"instructor"}))
    ((_course, member),) = invitations.mine(ports, as_(invitee))
    with pytest.raises(Conflict):
        invitations.accept(ports, as_(invitee), member.invitation_id)
