"""The daily digest: e-mails of readers who chose it wait for their slot and go out as one.

Planning gives such e-mails the reader's next digest slot as due time and marks them as
digest items; the sender never claims those. When a slot is due this job renders one digest
per reader (keyed by reader and slot, so a crash and rerun plan it once) and records the
items as delivered by it. Portal notices are never held back.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import replace

from ..domain.digest import digest_source
from ..domain.kinds import DIGEST
from ..domain.notification import new_notification
from ..domain.preferences import defaults_for
from .delivery_planning import Notice, links_for
from .delivery_ports import Delivery

log = logging.getLogger(__name__)
DIGEST_BATCH = 2000


def send_digests(ctx: Delivery, limit: int = DIGEST_BATCH) -> int:
    """Plan the digests whose slot has come; returns how many were planned."""
    now = ctx.clock.now()
    groups = defaultdict(list)
    for item in ctx.outbox.digest_items(now, limit):
        groups[(item.recipient, item.next_attempt_at)].append(item)
    if not groups:
        return 0
    known = ctx.preferences.many(sorted({who for who, _slot in groups}))
    planned = 0
    for (who, slot), items in groups.items():
        prefs = known.get(who) or defaults_for(who, locale=None, timezone=None)
        items.sort(key=lambda n: n.created_at)
        facts = {"items": [{"kind": n.kind, "facts": n.data.get("facts", {})} for n in items]}
        notice = Notice(DIGEST, facts, "/notifications")
        links = links_for(ctx, who, notice)
        text = ctx.renderer.render(DIGEST, facts, prefs.name or "", prefs.locale,
                                   prefs.timezone, links)
        digest = new_notification(
            event_id=digest_source(who, slot), recipient=who, channel="email", kind=DIGEST,
            subject=text.subject, body_text=text.text, body_html=text.html, now=now,
            link=f"{ctx.public_url}/notifications", locale=text.locale,
            to_address=prefs.email or items[-1].to_address,
            data={"facts": facts, "unsubscribe_url": links.unsubscribe_url, "join_url": None,
                  "invitation": False, "name": prefs.name or ""})
        planned += ctx.outbox.insert_many_if_absent([digest])
        ctx.outbox.mark_many([replace(n.delivered(now), last_error=f"in digest {digest.key}")
                              for n in items])
    log.info("planned %d digests from %d slots", planned, len(groups))
    return planned
