"""Through the gateway: an institution admin's faculty list only invites people; until the
invitee accepts, the classroom does not let anyone book them, and the course does not name
them as teaching (issue 12, item 6)."""

from __future__ import annotations

from tests.e2e import catalog_factories as make
from tests.support import unique, wait_for

EVENTUAL = 240


def test_listed_faculty_teach_only_after_accepting(admin, as_user):
    oxford, changchun = make.institution(admin), make.institution(admin, country="CN")
    registrar = as_user(unique("ia-"), ["institution_admin"], oxford["id"])
    lead_sub, guest_sub = unique("lead-"), unique("guest-")
    lead = as_user(lead_sub, ["instructor"], oxford["id"])
    guest = as_user(guest_sub, ["instructor"], changchun["id"])
    course = make.course(registrar, oxford["id"], publish=False, faculty=[
        {"user_id": lead_sub, "role": "lead"}, {"user_id": guest_sub, "role": "instructor"}])
    assert {m["status"] for m in course["faculty"]} == {"invited"}
    for person in (lead, guest):
        (invitation,) = [i for i in person.get("/api/v1/me/faculty-invitations").json()["items"]
                         if i["course_id"] == course["id"]]
        if person is lead:
            assert registrar.post(f"/api/v1/faculty-invitations/{invitation['id']}/accept"
                                  ).status_code == 403, "the inviter cannot accept for them"
            accepted = lead.post(f"/api/v1/faculty-invitations/{invitation['id']}/accept")
            assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
        else:
            guest_invitation = invitation
    assert registrar.post(f"/api/v1/courses/{course['id']}/publish").status_code == 200
    offering = make.offering(registrar, course["id"])
    sessions = f"/api/v1/offerings/{offering['id']}/sessions"
    body = {"kind": "lecture", "title": "Sutures", "start": "2031-05-05T10:00",
            "timezone": "Europe/London", "duration_minutes": 60, "instructors": [guest_sub]}
    # A refusal is a falsy Response: wait on its body instead.
    refused = wait_for(lambda: (r := lead.post(sessions, json=body)).status_code == 422
                       and r.json(), timeout=EVENTUAL,
                       message="the classroom to know the offering")
    assert guest_sub in str(refused["errors"]["instructors"]), "not bookable yet"

    assert guest.post(f"/api/v1/faculty-invitations/{guest_invitation['id']}/accept"
                      ).status_code == 200
    booked = wait_for(lambda: (r := lead.post(sessions, json=body)).status_code == 201 and r,
                      timeout=EVENTUAL, message="the classroom to learn the accepted faculty")
    assert booked.json()["sessions"][0]["instructors"] == [guest_sub]
    shown = registrar.get(f"/api/v1/courses/{course['id']}").json()["faculty"]
    assert {m["user_id"]: m["status"] for m in shown} == {lead_sub: "active", guest_sub: "active"}
    assert guest.get("/api/v1/me/faculty-invitations").json()["total"] == 0
