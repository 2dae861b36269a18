"""Catalog events: what it publishes (payloads) and what it consumes (handlers)."""
