"""The common worker task purges expired Idempotency-Key answers (real database, own db)."""

import threading

from meridian_common.config import load_settings
from meridian_common.events.envelope import utcnow
from meridian_common.messaging.tasks import purge_idempotency_keys
from meridian_common.persistence import db, idempotency
from tests.support import wait_for


def test_purge_task_drops_expired_keys_and_keeps_fresh_ones(isolated_db_name):
    database = db.connect(load_settings("tasktest", {"mongo_db": isolated_db_name}))
    keys = database[idempotency.COLLECTION]
    now = utcnow()
    keys.insert_many([
        {"_id": "old", "created_at": now - idempotency.RETENTION * 2, "state": "done"},
        {"_id": "fresh", "created_at": now, "state": "done"}])
    stop = threading.Event()
    worker = threading.Thread(target=purge_idempotency_keys, args=(stop,), daemon=True)
    worker.start()
    try:
        wait_for(lambda: keys.find_one({"_id": "old"}) is None, timeout=30,
                 message="expired key purged")
    finally:
        stop.set()
        worker.join(timeout=10)
    assert not worker.is_alive(), "the task ends when the worker stops"
    assert keys.find_one({"_id": "fresh"}) is not None
