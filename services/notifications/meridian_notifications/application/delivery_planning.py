"""Planning: one notification per (event, recipient, channel), rendered for its reader.

Keys are deterministic (`notification_key`), and the store inserts only new keys, so a
redelivered event, a restarted worker or a replay plans nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from ..domain.digest import next_digest_at
from ..domain.kinds import DIGESTIBLE, WITH_INVITATION
from ..domain.notification import new_notification
from ..domain.preferences import NotificationPreferences, defaults_for
from ..domain.unsubscribe import unsubscribe_token
from .delivery_ports import Delivery, Links, SessionFacts

log = logging.getLogger(__name__)


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
    planned = []
    for user_id in people:
        prefs = known.get(user_id) or defaults_for(user_id, locale=None, timezone=None)
        channels = channels_of(prefs)
        if not channels:
            continue
        links = links_for(ctx, user_id, notice)
        text = ctx.renderer.render(notice.kind, notice.facts, prefs.name or "", prefs.locale,
                                   prefs.timezone, links)
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
    stored = ctx.outbox.insert_many_if_absent(planned)
    log.info("planned %s: %d new of %d notifications", notice.kind, stored, len(planned))
    return stored
