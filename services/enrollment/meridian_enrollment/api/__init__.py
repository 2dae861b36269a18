"""Enrollment api."""
