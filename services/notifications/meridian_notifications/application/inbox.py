"""Use cases of the in-portal inbox and of the admins' view of failed deliveries."""

from __future__ import annotations

from ..domain.notification import Notification
from .errors import NotFound
from .ports import Clock, NotificationsRepo


class Inbox:
    """A recipient's portal notices: list newest first, count unread, mark read."""

    def __init__(self, notifications: NotificationsRepo, clock: Clock):
        self.notifications = notifications
        self.clock = clock

    def page(self, recipient: str, unread_only: bool, page: int,
             per_page: int) -> tuple[list[Notification], int, int]:
        """One page of notices, how many match, and how many are unread."""
        items, total = self.notifications.inbox(recipient, unread_only,
                                                (page - 1) * per_page, per_page)
        return items, total, self.notifications.unread_count(recipient)

    def mark_read(self, recipient: str, key: str) -> Notification:
        """Mark the recipient's notice read; NotFound when it is not theirs."""
        marked = self.notifications.mark_read(key, recipient, self.clock.now())
        if marked is None:
            raise NotFound(key)
        return marked

    def failures(self, page: int, per_page: int) -> tuple[list[Notification], int]:
        """Deliveries given up for good, newest first."""
        return self.notifications.failures((page - 1) * per_page, per_page)
