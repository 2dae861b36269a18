"""Reading sessions for listings: one query, without the embedded outbox events."""

from __future__ import annotations

from .models import LiveSession

# Listings are read whole and paginated here: one scan instead of a count and a page query
# (on FerretDB each is a full scan). A person's sessions in a range stay far below this.
MAX_LISTED = 5000
OUTBOX_FIELDS = ("outbox", "outbox_last_at")


def listed(page: int, per_page: int, **filters) -> tuple[list[LiveSession], int]:
    """One page of the sessions matching `filters` in time order, and how many match."""
    everything = list(LiveSession.objects(**filters).exclude(*OUTBOX_FIELDS)
                      .order_by("start", "id").limit(MAX_LISTED))
    first = (page - 1) * per_page
    return everything[first:first + per_page], len(everything)
