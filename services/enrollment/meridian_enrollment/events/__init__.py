"""Enrollment events: the payloads this service stores, and the catalog events it consumes."""
