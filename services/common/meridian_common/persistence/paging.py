"""One page of a mongoengine queryset with its total."""

from __future__ import annotations


def paginate(queryset, page: int, per_page: int) -> tuple[list, int]:
    """One page of `queryset` and the total count."""
    total = queryset.count()
    return list(queryset.skip((page - 1) * per_page).limit(per_page)), total
