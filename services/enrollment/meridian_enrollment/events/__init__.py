"""Enrollment events."""
