"""The faults, one per scenario; `QUICK` is the subset `make test` runs, `make chaos` all."""

from __future__ import annotations

from . import stack
from .scenario import Fault

WORKER_KILL = stack.BusiestWorkerKill("enrollment-api", busy=4)
FAULTS = {
    # Straight to the service (the gateway caps its calls in flight): the killed gunicorn
    # worker is serving keyed POSTs when it dies.
    "api-worker-sigkill": Fault("api-worker-sigkill", WORKER_KILL, prepare=WORKER_KILL.prepare,
                                spacing_seconds=0.0, clients=96, after_acked=0, direct=True),
    "ferretdb-sigkill": Fault("ferretdb-sigkill", lambda: stack.sigkill("ferretdb"),
                              down_seconds=2.0),
    "kafka-sigkill": Fault("kafka-sigkill", lambda: stack.sigkill("kafka"), down_seconds=2.0),
    "kafka-sigterm": Fault("kafka-sigterm", lambda: stack.stop("kafka"), down_seconds=15.0),
    # A longer database outage than a SIGKILL's restart: how long until everything settles.
    "ferretdb-down": Fault("ferretdb-down", lambda: stack.stop("ferretdb"), down_seconds=15.0),
    "postgres-sigkill": Fault("postgres-sigkill", lambda: stack.sigkill("postgres"),
                              down_seconds=2.0),
    # The enrollment worker runs the relay: killed while the load keeps its batches coming.
    "relay-sigkill": Fault("relay-sigkill", lambda: stack.sigkill("enrollment-worker")),
    # The catalog worker consumes enrollment events: killed between handling and committing.
    "consumer-sigkill": Fault("consumer-sigkill", lambda: stack.sigkill("catalog-worker")),
    "redis-down": Fault("redis-down", lambda: stack.stop("redis"), down_seconds=5.0),
}
QUICK = ("api-worker-sigkill", "ferretdb-sigkill", "kafka-sigterm")
