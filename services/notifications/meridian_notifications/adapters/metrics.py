"""The notifications' Prometheus metrics; the delivery pipeline counts, the worker gauges."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

SENT = Counter("meridian_notifications_sent_total", "Notifications delivered",
               ["channel", "kind"])
FAILED = Counter("meridian_notifications_failed_total",
                 "Delivery attempts that failed (permanent=true: given up)",
                 ["channel", "permanent"])
QUEUE_DEPTH = Gauge("meridian_notifications_queue_depth",
                    "E-mails due and not yet sent", multiprocess_mode="max")
REMINDER_LAG = Histogram("meridian_notifications_reminder_lag_seconds",
                         "How late reminders fire after their due time",
                         buckets=(0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900))


def measure_queue(notifications, clock) -> int:
    """Set the queue-depth gauge from the store; returns the depth."""
    depth = notifications.due_count(clock.now())
    QUEUE_DEPTH.set(depth)
    return depth
