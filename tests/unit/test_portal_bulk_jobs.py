"""The bulk job page's rows: the upload's line numbers merged with the job's results."""

from __future__ import annotations

from meridian_portal import bulk_jobs
from meridian_portal.views.meeting import choice_of, provider_body


def _result(student_id: str, status: str | None, code: str | None = None) -> dict:
    return {"student_id": student_id, "code": code, "detail": None,
            "enrollment": {"status": status} if status else None}


def test_rows_take_the_upload_lines_and_keep_its_refusals_in_place():
    job = {"status": "done", "processed": 2, "total": 2,
           "results": [_result("s1", "confirmed"), _result("s2", None, "not_eligible")]}
    upload = {"lines": [2, 4], "refused": [[3, "bad id!", "invalid_id"]]}
    rows = bulk_jobs.result_rows(job, upload)
    assert [(r["line"], r["student_id"], r["status"]) for r in rows] == [
        (2, "s1", "confirmed"), (3, "bad id!", "refused"), (4, "s2", "refused")]
    assert rows[2]["code"] == "not_eligible"


def test_rows_of_a_job_opened_elsewhere_are_numbered_by_position():
    job = {"status": "running", "processed": 1, "total": 3, "results": [_result("s1", "confirmed")]}
    rows = bulk_jobs.result_rows(job, {"lines": [], "refused": []})
    assert [(r["line"], r["student_id"]) for r in rows] == [(1, "s1")]
    assert bulk_jobs.progress(job) == {"status": "running", "processed": 1, "total": 3,
                                       "done": False}


def test_the_job_id_comes_from_the_location_header():
    assert bulk_jobs.job_id_of("/api/v1/enrollment-jobs/job_42", {}) == "job_42"
    assert bulk_jobs.job_id_of("", {"id": "job_7"}) == "job_7"
    assert bulk_jobs.job_id_of("", []) == ""


def test_a_public_jitsi_room_is_only_chosen_explicitly():
    assert provider_body({"provider": "jitsi"}) == {"provider": "jitsi"}
    assert provider_body({"provider": "jitsi_public"}) == {"provider": "jitsi",
                                                            "public_room": True}
    assert provider_body({"provider": "external", "url": " https://m.example/j/1 "}) == {
        "provider": "external", "url": "https://m.example/j/1"}
    assert provider_body({"provider": "zoom"}) is None
    assert choice_of({"provider": "jitsi", "public_room": True, "configured": True}) == \
        "jitsi_public"
    assert choice_of({"provider": "jitsi", "configured": False}) == ""
