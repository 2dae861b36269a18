"""gunicorn settings shared by every Meridian HTTP process, locally and in containers.

Worker class and count come from the environment so operators can tune them without a rebuild;
the defaults were chosen by bench/gateway_overhead.py (see docs/decisions/0003-gunicorn-workers.md).
"""

import os

workers = int(os.environ.get("MERIDIAN_WORKERS", "2"))
worker_class = os.environ.get("MERIDIAN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("MERIDIAN_THREADS", "8"))
timeout = int(os.environ.get("MERIDIAN_WORKER_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# gunicorn's own refusal of a long request line is an HTML page; at its maximum the long query
# strings clients do send (repeated parameters) reach the app, which answers problem+json.
limit_request_line = 8190
max_requests = 0
accesslog = None
errorlog = "-"
loglevel = os.environ.get("MERIDIAN_LOG_LEVEL", "info").lower()
# No preload: each worker opens its own database and Kafka connections after the fork.
preload_app = False
# gunicorn 27 opens a control socket at one fixed path per user; several stacks on one machine
# would fight over it, and nothing here uses it.
control_socket_disable = True


def child_exit(server, worker):
    """Tell prometheus-client's multiprocess mode that a worker's files are dead."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
