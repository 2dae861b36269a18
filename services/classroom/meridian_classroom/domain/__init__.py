"""Classroom domain."""
