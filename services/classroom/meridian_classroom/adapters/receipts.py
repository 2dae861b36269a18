"""Receipts of webhook deliveries: one insert per signature, so a replay finds its own."""

from __future__ import annotations

from datetime import datetime

from pymongo.errors import DuplicateKeyError

from .documents import HookReceipt


class MongoHookReceipts:
    """The `HookReceipts` port on `hook_receipts` (`_id` is the delivery's checksum)."""

    def first_time(self, signature: str, at: datetime, forget_before: datetime) -> bool:
        """Record the delivery; False when it was recorded before."""
        rows = HookReceipt._get_collection()
        rows.delete_many({"received_at": {"$lt": forget_before}})
        try:
            rows.insert_one({"_id": signature, "received_at": at})
        except DuplicateKeyError:
            return False
        return True
