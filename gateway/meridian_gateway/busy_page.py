"""What a browser sees when the portal itself cannot answer: a small page, not problem+json.

The portal's own "try again" page needs the portal; this one is the gateway's, so it carries
its few strings itself, one entry per language (the portal's languages).
"""

from __future__ import annotations

from html import escape

from flask import Request, Response

WORDING = {
    "en": {"title": "Meridian cannot answer right now",
           "body": "The portal is busy or restarting. This page tries again in {seconds} "
                   "seconds.",
           "again": "Try again now"},
    "zh-Hans": {"title": "Meridian 暂时无法响应",
                "body": "门户正忙或正在重启。本页将在 {seconds} 秒后自动重试。",
                "again": "立即重试"},
}
_MATCH = {"en": "en", "zh": "zh-Hans", "zh-hans": "zh-Hans", "zh-cn": "zh-Hans",
          "zh-sg": "zh-Hans"}


def wants_html(request: Request) -> bool:
    """True for a browser navigation (HTML preferred over JSON)."""
    accept = request.accept_mimetypes
    return accept.quality("text/html") > accept.quality("application/json")


def _language(request: Request) -> str:
    for tag, _quality in request.accept_languages:
        found = _MATCH.get(tag.lower()) or _MATCH.get(tag.lower().split("-")[0])
        if found:
            return found
    return "en"


def busy_page(request: Request, problem: Response) -> Response:
    """The problem's status and Retry-After as a page that reloads itself when it has passed."""
    seconds = problem.headers.get("Retry-After", "5")
    lang = _language(request)
    words = WORDING[lang]
    target = escape(request.full_path if request.query_string else request.path, quote=True)
    html = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta http-equiv="refresh" content="{escape(seconds)}">'
            f"<title>{escape(words['title'])}</title></head><body><main>"
            f"<h1>{escape(words['title'])}</h1>"
            f"<p>{escape(words['body'].format(seconds=seconds))}</p>"
            f'<p><a href="{target}">{escape(words["again"])}</a></p></main></body></html>')
    answer = Response(html, status=problem.status_code, mimetype="text/html")
    answer.headers["Retry-After"] = seconds
    answer.headers["Cache-Control"] = "no-store"
    return answer
