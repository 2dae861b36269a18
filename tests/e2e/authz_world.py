"""The world the authorization matrix runs in, built through the gateway (see the matrix doc)."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pymongo
import requests

from meridian_common.config import load_settings
from meridian_notifications.adapters.notifications import to_row
from meridian_notifications.domain.notification import new_notification
from meridian_notifications.domain.unsubscribe import unsubscribe_token
from tests.conftest import Client
from tests.e2e.catalog_factories import course_body, offering_body
from tests.support import env, make_token, unique, wait_for

# Read models follow events; on a busy shared stack the workers may have a backlog to drain.
EVENTUAL = 240
ACTORS = {  # actor → (roles, institution letter)
    "student_a": (["student"], "a"), "student_a2": (["student"], "a"),
    "student_b": (["student"], "b"), "instructor_a": (["instructor"], "a"),
    "instructor_b": (["instructor"], "b"), "inst_admin_a": (["institution_admin"], "a"),
    "inst_admin_b": (["institution_admin"], "b"), "admin": (["admin"], None),
}


def created(response: requests.Response) -> dict:
    """The JSON of a 200/201 answer (fails loudly otherwise)."""
    assert response.status_code in (200, 201), f"{response.request.method} " \
        f"{response.request.url}: {response.status_code} {response.text}"
    return response.json()


class World:
    """Institutions A and B, their courses, offerings, enrollments, sessions and a feed."""

    def __init__(self, http: requests.Session, gateway: str):
        self.http, self.gateway, self.tag = http, gateway, unique("")
        self.ids: dict[str, str] = {"institution_a": "", "institution_b": ""}
        self.subs = {actor: f"{actor}-{self.tag}" for actor in ACTORS}
        self._days = itertools.count(1)

    def client(self, actor: str) -> Client:
        """A client acting as `actor` (`anonymous`: no token)."""
        if actor == "anonymous":
            return Client(self.http, self.gateway)
        roles, letter = ACTORS[actor]
        institution = self.ids.get(f"institution_{letter}") if letter else None
        return Client(self.http, self.gateway, make_token(self.subs[actor], roles, institution))

    def resolve(self, name: str) -> str:
        """The id behind a placeholder; `new_*` placeholders are made fresh each time."""
        if name.startswith("new_"):
            return getattr(self, f"_make_{name[4:]}")()
        return self.ids[name]

    def course_json(self, letter: str = "a") -> dict:
        """A valid course body of institution `letter` taught by its instructor."""
        return course_body(self.ids[f"institution_{letter}"], faculty=[
            {"user_id": self.subs[f"instructor_{letter}"], "role": "lead"}])

    def session_json(self, start: datetime | None = None) -> dict:
        """A valid one-off lecture of `offering_a`, on a day no other row uses."""
        start = start or datetime(2031, 1, 1, 9, tzinfo=UTC) + timedelta(days=next(self._days))
        return {"kind": "lecture", "title": "Matrix lecture", "timezone": "UTC",
                "start": start.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 60,
                "instructors": [self.subs["instructor_a"]], "repeat": None}

    def _make_draft_a(self, publish: bool = False) -> str:
        course = created(self.client("inst_admin_a").post("/api/v1/courses",
                                                          json=self.course_json()))
        if publish:
            created(self.client("inst_admin_a").post(f"/api/v1/courses/{course['id']}/publish"))
        return course["id"]

    def _make_invitation_b(self) -> str:
        body = {**self.course_json(), "faculty": [
            {"user_id": self.subs["instructor_b"], "role": "instructor"}]}
        course = created(self.client("inst_admin_a").post("/api/v1/courses", json=body))
        (member,) = course["faculty"]
        assert member["status"] == "invited", course
        invited = self.client("instructor_b").get("/api/v1/me/faculty-invitations").json()
        return next(i["id"] for i in invited["items"] if i["course_id"] == course["id"])

    def accept_all(self, actor: str) -> None:
        """`actor` accepts every invitation they hold."""
        client = self.client(actor)
        for invitation in client.get("/api/v1/me/faculty-invitations?per_page=100").json()[
                "items"]:
            created(client.post(f"/api/v1/faculty-invitations/{invitation['id']}/accept"))

    def _make_course_a(self) -> str:
        return self._make_draft_a(publish=True)

    def _make_offering_a(self, **overrides) -> str:
        return created(self.client("inst_admin_a").post(
            f"/api/v1/courses/{self.ids['course_a']}/offerings",
            json=offering_body(**overrides)))["id"]

    def _make_session_a(self) -> str:
        return created(self.client("instructor_a").post(
            f"/api/v1/offerings/{self.ids['offering_a']}/sessions",
            json=self.session_json()))["sessions"][0]["id"]

    def _enroll(self, actor: str, offering: str) -> str:
        path = f"/api/v1/offerings/{self.ids[offering]}/enrollments"
        client = self.client(actor)
        answer = wait_for(lambda: (r := client.post(path, json={})).status_code == 201 and r,
                          timeout=EVENTUAL, message=f"{actor} to enroll in {offering}")
        return answer.json()["id"]

    def build(self) -> World:
        """Create everything, waiting for the read models each step needs."""
        admin = self.client("admin")
        for letter, country in (("a", "GB"), ("b", "CN")):
            self.ids[f"institution_{letter}"] = created(admin.post("/api/v1/institutions", json={
                "name": f"Matrix {letter.upper()} {self.tag}", "country": country,
                "timezone": "Europe/London", "alliances": []}))["id"]
        for letter in ("a", "b"):
            body = self.course_json(letter)
            owner = self.client(f"inst_admin_{letter}")
            course = created(owner.post("/api/v1/courses", json=body))["id"]
            self.accept_all(f"instructor_{letter}")
            created(owner.post(f"/api/v1/courses/{course}/publish"))
            self.ids[f"course_{letter}"] = course
            self.ids[f"offering_{letter}"] = created(owner.post(
                f"/api/v1/courses/{course}/offerings", json=offering_body()))["id"]
        self.ids["draft_a"] = self._make_draft_a()
        self.ids["invitation_b"] = self._make_invitation_b()
        for name in ("open_a", "spare_a"):
            self.ids[name] = self._make_offering_a()
        now = datetime.now(UTC)
        self.ids["lottery_a"] = self._make_offering_a(
            selection="lottery", enrollment_opens_at=(now - timedelta(days=2)).isoformat(),
            enrollment_closes_at=(now - timedelta(days=1)).isoformat())
        with ThreadPoolExecutor(max_workers=4) as pool:
            enrolled = dict(zip(
                ("enrollment_a", "enrollment_b", "spare_enrollment_a", "spare_enrollment_a2"),
                pool.map(lambda job: self._enroll(*job), [
                    ("student_a", "offering_a"), ("student_b", "offering_b"),
                    ("student_a", "spare_a"), ("student_a2", "spare_a")]), strict=True))
        self.ids.update(enrolled)
        bulk = f"/api/v1/offerings/{self.ids['open_a']}/enrollments/bulk"
        job = self.client("inst_admin_a").post(bulk, json={"student_ids": [unique("job-")]})
        assert job.status_code == 202, job.text
        self.ids["job_a"] = job.json()["id"]
        self._schedule_and_feed()
        self._notices()
        return self

    def _notices(self) -> None:
        # Notices come from events; one is stored as the delivery pipeline stores it, so the
        # rows do not depend on which events the pipeline turns into notices.
        notice = new_notification(event_id=unique("matrix-"), recipient=self.subs["student_a"],
                                  channel="portal", kind="enrollment.confirmed",
                                  subject="Matrix", body_text="Matrix", now=datetime.now(UTC))
        with pymongo.MongoClient(env("MONGO_URI"), tz_aware=True) as client:
            client[load_settings("notifications").mongo_db].notifications.insert_one(
                to_row(notice))
        self.ids["notice_a"] = notice.key
        secret = env("UNSUBSCRIBE_SECRET")
        self.ids["unsubscribe_a2"] = unsubscribe_token(self.subs["student_a2"], secret)
        self.ids["unknown_unsubscribe"] = unsubscribe_token(self.subs["student_a2"],
                                                            "not-the-secret")

    def _schedule_and_feed(self) -> None:
        instructor, student = self.client("instructor_a"), self.client("student_a")
        sessions = f"/api/v1/offerings/{self.ids['offering_a']}/sessions"
        # Starting in ten minutes: inside the join window (it opens 15 minutes before).
        start = (datetime.now(UTC) + timedelta(minutes=10)).replace(second=0, microsecond=0)
        self.ids["session_a"] = created(wait_for(
            lambda: (r := instructor.post(sessions, json=self.session_json(start))).status_code
            == 201 and r, timeout=EVENTUAL, message="the classroom to know offering_a"))[
            "sessions"][0]["id"]
        wait_for(lambda: student.get(sessions).status_code == 200, timeout=EVENTUAL,
                 message="student_a on the classroom roster")
        self.ids["feed_a"] = _feed_token(created(student.post("/api/v1/me/calendar-feed")))
        other = self.client("student_a2")
        self.ids["revoked_feed"] = _feed_token(created(other.post("/api/v1/me/calendar-feed")))
        assert other.delete("/api/v1/me/calendar-feed").status_code == 204
        self.ids["unknown_feed"] = unique("never-issued-") * 4


def _feed_token(answer: dict) -> str:
    return answer["url"].rsplit("/", 1)[-1].removesuffix(".ics")
