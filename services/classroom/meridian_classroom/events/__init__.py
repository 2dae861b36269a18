"""Classroom events."""
