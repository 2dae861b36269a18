"""Kafka plumbing: clients, the consumer base, the outbox relay, the worker loop, consumer lag."""
