"""Catalog flows end to end through the gateway, on the real stack."""

from tests.e2e import catalog_factories as make
from tests.support import unique


def test_course_workflow_draft_published_archived(admin, as_user, anonymous):
    provider = make.institution(admin)
    staff = as_user(roles=["institution_admin"], institution_id=provider["id"])
    draft = make.course(staff, provider["id"], publish=False)
    assert draft["status"] == "draft"
    assert anonymous.get(f"/api/v1/courses/{draft['id']}").status_code == 404
    assert staff.get(f"/api/v1/courses/{draft['id']}").status_code == 200
    published = staff.post(f"/api/v1/courses/{draft['id']}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert published.json()["published_at"].endswith("Z")
    again = staff.post(f"/api/v1/courses/{draft['id']}/publish")
    assert again.status_code == 409
    assert again.headers["Content-Type"] == "application/problem+json"
    assert anonymous.get(f"/api/v1/courses/{draft['id']}").json()["status"] == "published"
    archived = staff.post(f"/api/v1/courses/{draft['id']}/archive")
    assert archived.status_code == 200 and archived.json()["status"] == "archived"
    assert staff.post(f"/api/v1/courses/{draft['id']}/archive").status_code == 409
    assert staff.patch(f"/api/v1/courses/{draft['id']}", json={"title": "x"}).status_code == 409
    assert anonymous.get(f"/api/v1/courses/{draft['id']}").status_code == 404


def test_offerings_and_their_seat_figures(admin, anonymous):
    provider = make.institution(admin)
    course = make.course(admin, provider["id"])
    offering = make.offering(admin, course["id"], capacity=27)
    assert (offering["seats_taken"], offering["seats_available"],
            offering["waitlist_length"]) == (0, 27, 0)
    public = anonymous.get(f"/api/v1/offerings/{offering['id']}")
    assert public.status_code == 200 and public.json()["capacity"] == 27
    detail = anonymous.get(f"/api/v1/courses/{course['id']}").json()
    assert [o["id"] for o in detail["offerings"]] == [offering["id"]]
    assert detail["offerings"][0]["seats_available"] == 27
    listed = anonymous.get(f"/api/v1/courses/{course['id']}/offerings").json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == offering["id"]
    raised = admin.patch(f"/api/v1/offerings/{offering['id']}", json={"capacity": 30})
    assert raised.status_code == 200 and raised.json()["seats_available"] == 30
    cancelled = admin.post(f"/api/v1/offerings/{offering['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert admin.post(f"/api/v1/offerings/{offering['id']}/cancel").status_code == 409
    assert admin.patch(f"/api/v1/offerings/{offering['id']}",
                       json={"capacity": 31}).status_code == 409


def test_offerings_need_a_published_course(admin):
    provider = make.institution(admin)
    draft = make.course(admin, provider["id"], publish=False)
    response = admin.post(f"/api/v1/courses/{draft['id']}/offerings", json=make.offering_body())
    assert response.status_code == 409


def test_search_filters_and_pagination(admin, anonymous):
    alliance = unique("alliance-")
    member = make.institution(admin, country="CN", timezone_name="Asia/Shanghai",
                              alliances=[alliance])
    outsider = make.institution(admin)
    word = unique("tuina")
    tcm = make.course(admin, member["id"], title=f"Science of Chinese Tuina {word}",
                      languages=["zh-Hans", "en"], discipline="tcm", level="postgraduate")
    make.course(admin, member["id"], title=f"Acupuncture and Moxibustion {word}",
                discipline="tcm", level="undergraduate")
    make.course(admin, outsider["id"], title=f"Otorhinolaryngology {word}", discipline="surgery",
                level="professional")
    make.course(admin, member["id"], publish=False, title=f"Hidden draft {word}")

    def ids(**params):
        response = anonymous.get("/api/v1/courses", params=params)
        assert response.status_code == 200, response.text
        return response.json()

    assert ids(q=word)["total"] == 3
    assert ids(q=f"tuina {word}")["items"][0]["id"] == tcm["id"]
    assert ids(q=f"{word} chinese science")["total"] == 1
    assert ids(q=word, language="zh-Hans")["total"] == 1
    assert ids(q=word, discipline="tcm")["total"] == 2
    assert ids(q=word, level="undergraduate")["total"] == 1
    assert ids(q=word, provider=outsider["id"])["total"] == 1
    assert ids(alliance=alliance)["total"] == 2
    page = ids(q=word, per_page=2, page=2)
    assert (page["total"], page["page"], page["per_page"], len(page["items"])) == (3, 2, 2, 1)
    drafts = admin.get("/api/v1/courses", params={"q": word, "status": "draft"}).json()
    assert drafts["total"] == 1
    assert anonymous.get("/api/v1/courses", params={"status": "draft"}).status_code == 403
    members = anonymous.get("/api/v1/institutions", params={"alliance": alliance}).json()
    assert [i["id"] for i in members["items"]] == [member["id"]]
    assert anonymous.get("/api/v1/institutions",
                         params={"country": "cn", "alliance": alliance}).json()["total"] == 1


def test_etags_give_304_and_stale_if_match_gives_412(admin, anonymous):
    provider = make.institution(admin)
    course = make.course(admin, provider["id"])
    first = anonymous.get(f"/api/v1/courses/{course['id']}")
    etag = first.headers["ETag"]
    assert anonymous.get(f"/api/v1/courses/{course['id']}",
                         headers={"If-None-Match": etag}).status_code == 304
    changed = admin.patch(f"/api/v1/courses/{course['id']}", json={"title": "New title"},
                          headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    stale = admin.patch(f"/api/v1/courses/{course['id']}", json={"title": "Lost update"},
                        headers={"If-Match": etag})
    assert stale.status_code == 412
    assert anonymous.get(f"/api/v1/courses/{course['id']}").json()["title"] == "New title"


def test_idempotency_key_replays_the_first_answer(admin):
    body = {"name": f"Idempotent {unique()}", "country": "FR", "timezone": "Europe/Paris"}
    key = {"Idempotency-Key": unique("key-")}
    first = admin.post("/api/v1/institutions", json=body, headers=key)
    second = admin.post("/api/v1/institutions", json=body, headers=key)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert second.headers.get("Idempotent-Replayed") == "true"
    listed = admin.get("/api/v1/institutions", params={"country": "FR", "per_page": 100}).json()
    assert sum(1 for i in listed["items"] if i["name"] == body["name"]) == 1
    reused = admin.post("/api/v1/institutions", json={**body, "name": "Other"}, headers=key)
    assert reused.status_code == 422


def test_institution_admins_manage_only_their_own_institution(admin, as_user):
    mine, theirs = make.institution(admin), make.institution(admin)
    staff = as_user(roles=["institution_admin"], institution_id=mine["id"])
    assert staff.post("/api/v1/courses",
                      json=make.course_body(theirs["id"])).status_code == 403
    other_course = make.course(admin, theirs["id"])
    assert staff.patch(f"/api/v1/courses/{other_course['id']}",
                       json={"title": "Hijack"}).status_code == 403
    assert staff.post(f"/api/v1/courses/{other_course['id']}/offerings",
                      json=make.offering_body()).status_code == 403
    assert staff.post("/api/v1/institutions", json={
        "name": "X", "country": "GB", "timezone": "Europe/London"}).status_code == 403
