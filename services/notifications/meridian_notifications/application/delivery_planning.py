"""Planning: one notification per (event, recipient, channel), rendered for its reader.

Keys are deterministic (`notification_key`), and the store inserts only new keys, so a
redelivered event, a restarted worker or a replay plans nothing twice.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import datetime

from markupsafe import escape

from ..domain.digest import next_digest_at
from ..domain.kinds import DIGESTIBLE, WITH_INVITATION
from ..domain.notification import new_notification
from ..domain.preferences import NotificationPreferences, defaults_for
from ..domain.unsubscribe import unsubscribe_token
from .delivery_ports import Delivery, Links, Rendered, SessionFacts

log = logging.getLogger(__name__)
# Stand-ins rendered in place of the reader's name and link (U+2063 is invisible and never
# escaped, so it survives both the text and the HTML layout unchanged).
NAME_MARK, UNSUBSCRIBE_MARK = "\u2063name\u2063", "\u2063unsubscribe\u2063"
# A fan-out is stored in chunks: each insert stays well inside the database's socket timeout.
INSERT_CHUNK = 500
INSERT_THREADS = 4


@dataclass(frozen=True)
class Notice:
    """Something to tell: what kind, the facts it is about, and the portal page to open."""

    kind: str
    facts: dict
    path: str


def iso(value: datetime | None) -> str | None:
    """RFC 3339 text in UTC (`Z`), None for None."""
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def session_dict(facts: SessionFacts, previous_start: datetime | None = None) -> dict:
    """A session as stored inside a notification (times as RFC 3339 text)."""
    return {"session_id": facts.session_id, "offering_id": facts.offering_id,
            "title": facts.title, "kind": facts.kind, "start": iso(facts.start),
            "end": iso(facts.end), "timezone": facts.timezone, "sequence": facts.sequence,
            "status": facts.status, "uid": facts.uid, "previous_start": iso(previous_start)}


def join_path(session: dict) -> str:
    """The portal page with the session's Join button: the timetable of its day."""
    day = str(session["start"])[:10]
    return f"/timetable?from={day}&to={day}#session-{session['session_id']}"


def links_for(ctx: Delivery, user_id: str, notice: Notice) -> Links:
    """Join (session mails), settings and one-click unsubscribe links of one recipient."""
    base = ctx.public_url
    token = unsubscribe_token(user_id, ctx.unsubscribe_secret)
    session = notice.facts.get("session")
    join = f"{base}{join_path(session)}" if session and notice.kind != "session_cancelled" \
        else None
    return Links(join_url=join, settings_url=f"{base}/settings",
                 unsubscribe_url=f"{base}/api/v1/unsubscribe/{token}")


def _personal(rendered: dict, ctx: Delivery, notice: Notice, prefs: NotificationPreferences,
              links: Links) -> Rendered:
    """The notice for one reader: rendered once per (locale, zone), then personalised.

    Readers of one fan-out differ only in name and unsubscribe link once language and zone
    are the same, so a 2,000-student cancellation renders a handful of times, not 2,000.
    """
    key = (prefs.locale, prefs.timezone)
    if key not in rendered:
        template_links = replace(links, unsubscribe_url=UNSUBSCRIBE_MARK)
        rendered[key] = ctx.renderer.render(notice.kind, notice.facts, NAME_MARK, prefs.locale,
                                            prefs.timezone, template_links)
    shared, name = rendered[key], prefs.name or ""
    return replace(shared, subject=shared.subject.replace(NAME_MARK, name),
                   text=shared.text.replace(NAME_MARK, name).replace(
                       UNSUBSCRIBE_MARK, links.unsubscribe_url),
                   html=shared.html.replace(NAME_MARK, str(escape(name))).replace(
                       UNSUBSCRIBE_MARK, str(escape(links.unsubscribe_url))))


def channels_of(prefs: NotificationPreferences) -> list[str]:
    """Where this user hears from Meridian: no address (or e-mail off) means the portal only."""
    chosen = ["portal"] if prefs.channels.portal else []
    if prefs.emails_wanted:
        chosen.append("email")
    return chosen


def plan(ctx: Delivery, key_source: str, notice: Notice, recipients: list[str]) -> int:
    """Store the notices of `recipients` (each once per channel); returns how many are new."""
    people = list(dict.fromkeys(r for r in recipients if r))
    if not people:
        return 0
    known = ctx.preferences.many(people)
    now = ctx.clock.now()
    planned, rendered = [], {}
    for user_id in people:
        prefs = known.get(user_id) or defaults_for(user_id, locale=None, timezone=None)
        channels = channels_of(prefs)
        if not channels:
            continue
        links = links_for(ctx, user_id, notice)
        text = _personal(rendered, ctx, notice, prefs, links)
        data = {"facts": notice.facts, "unsubscribe_url": links.unsubscribe_url,
                "join_url": links.join_url, "invitation": notice.kind in WITH_INVITATION,
                "name": prefs.name or ""}
        for channel in channels:
            notification = new_notification(
                event_id=key_source, recipient=user_id, channel=channel, kind=notice.kind,
                subject=text.subject, body_text=text.text, now=now, body_html=text.html,
                link=f"{ctx.public_url}{notice.path}", locale=text.locale, data=data,
                to_address=prefs.email if channel == "email" else None)
            if channel == "email" and prefs.digest == "daily" and notice.kind in DIGESTIBLE:
                # Held for the reader's next digest; the sender leaves digest items alone.
                notification = replace(notification, data={**data, "digest": True},
                                       next_attempt_at=next_digest_at(now, prefs.timezone))
            planned.append(notification)
    # E-mails first, each chunk handed to the sender as soon as it is stored, so sending
    # starts while the rest (the portal notices last) is still being written.
    planned.sort(key=lambda n: n.channel != "email")
    chunks = [planned[i:i + INSERT_CHUNK] for i in range(0, len(planned), INSERT_CHUNK)]
    stored = 0
    with ThreadPoolExecutor(max_workers=min(INSERT_THREADS, len(chunks) or 1)) as pool:
        inserts = {pool.submit(ctx.outbox.insert_many_if_absent, chunk): chunk
                   for chunk in chunks}
        for done in as_completed(inserts):
            chunk, count = inserts[done], done.result()
            stored += count
            mails = [n for n in chunk if n.channel == "email" and not n.data.get("digest")]
            if count == len(chunk) and mails:
                ctx.fresh.put(mails)  # all new: nobody else can have sent any of them
    log.info("planned %s: %d new of %d notifications", notice.kind, stored, len(planned))
    return stored
