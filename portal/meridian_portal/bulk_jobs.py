"""Bulk enrollment jobs as the portal shows them: the upload's line numbers and its refusals,
kept in the user's session by job id, merged with the job's per-student results."""

from __future__ import annotations

from flask import session

SESSION_KEY = "bulk_uploads"
# A few recent uploads are enough to number their rows; older job pages number by position.
KEEP = 5


def job_id_of(location: str, body) -> str:
    """The job's id from the 202's `Location` (else the body's `id`)."""
    tail = location.rstrip("/").rsplit("/", 1)[-1] if location else ""
    if tail:
        return tail
    return str(body.get("id") or "") if isinstance(body, dict) else ""


def remember(job_id: str, good: list[tuple[int, str]], bad: list[tuple[int, str, str]]) -> None:
    """Keep the upload's line numbers (in the order sent) and the lines refused before sending."""
    uploads = dict(session.get(SESSION_KEY) or {})
    uploads[job_id] = {"lines": [line for line, _v in good],
                       "refused": [list(row) for row in bad]}
    session[SESSION_KEY] = dict(list(uploads.items())[-KEEP:])


def upload_of(job_id: str) -> dict:
    """What the session knows of the upload behind a job (empty when none: another browser)."""
    return (session.get(SESSION_KEY) or {}).get(job_id) or {"lines": [], "refused": []}


def refused_rows(bad: list[tuple[int, str, str]]) -> list[dict]:
    """Rows for lines refused before asking the API."""
    return [{"line": n, "student_id": v, "status": "refused", "code": code, "detail": None}
            for n, v, code in bad]


def result_rows(job: dict, upload: dict) -> list[dict]:
    """One row per line: the job's processed results (numbered by the upload's lines where
    known, else by position) and the lines refused before sending, ordered by line."""
    lines = upload.get("lines") or []
    rows = refused_rows([tuple(r) for r in upload.get("refused") or []])
    for index, result in enumerate(job.get("results") or []):
        if not isinstance(result, dict):
            continue
        # `status` is the HTTP status the row would have had; the enrollment says the rest.
        made = result.get("enrollment") or {}
        rows.append({"line": lines[index] if index < len(lines) else index + 1,
                     "student_id": result.get("student_id", ""),
                     "status": made.get("status") or "refused",
                     "code": result.get("code") or "", "detail": result.get("detail")})
    return sorted(rows, key=lambda r: r["line"])


def progress(job: dict) -> dict:
    """`status`, `processed`, `total` and `done` for the template."""
    results = job.get("results") or []
    processed = job.get("processed")
    processed = processed if isinstance(processed, int) else len(results)
    total = job.get("total")
    status = str(job.get("status") or "queued")
    return {"status": status, "processed": processed,
            "total": total if isinstance(total, int) else processed, "done": status == "done"}
