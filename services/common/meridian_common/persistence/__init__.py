"""Database plumbing: connection, outbox writes, read-model writer, idempotency, paging."""
