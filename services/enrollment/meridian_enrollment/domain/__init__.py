"""Enrollment domain."""
