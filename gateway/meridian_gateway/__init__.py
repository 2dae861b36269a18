"""Meridian API gateway: routing, JWT checks, request ids, timeouts and the merged OpenAPI."""
