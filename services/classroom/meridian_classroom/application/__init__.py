"""Classroom use cases; they reach storage and providers only through `ports`."""
