"""In-portal notices as the inbox page shows them (the API's items, tolerant of extra fields)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Notice:
    """One notice: what it says, when it came, where it leads, and whether it was read."""

    id: str
    subject: str
    text: str
    created_at: str
    link: str | None
    unread: bool


def safe_link(link) -> str | None:
    """A link a notice may carry: a local path or an http(s) URL, nothing else."""
    if not isinstance(link, str) or not link:
        return None
    if link.startswith("/") and not link.startswith("//"):
        return link
    return link if urlsplit(link).scheme in ("http", "https") else None


def without_signature(text: str) -> str:
    """The notice's text without the e-mail signature (from the `-- ` line on: settings and
    unsubscribe links that the portal shows elsewhere)."""
    lines = text.splitlines()
    cut = next((i for i, line in enumerate(lines) if line.rstrip() == "--"), len(lines))
    return "\n".join(lines[:cut]).strip()


def notice_of(item: dict) -> Notice | None:
    """The notice for one inbox item (None for an item without an id)."""
    ident = item.get("id") or item.get("key")
    if not ident:
        return None
    unread = not item["read"] if isinstance(item.get("read"), bool) else not item.get("read_at")
    return Notice(id=str(ident), subject=str(item.get("subject") or item.get("title") or ""),
                  text=without_signature(str(item.get("body") or item.get("body_text") or "")),
                  created_at=str(item.get("created_at") or ""),
                  link=safe_link(item.get("link")), unread=unread)


def notices(body) -> list[Notice]:
    """Every notice of an inbox page, in the API's order (newest first)."""
    items = body.get("items", []) if isinstance(body, dict) else []
    return [n for n in (notice_of(i) for i in items if isinstance(i, dict)) if n is not None]
