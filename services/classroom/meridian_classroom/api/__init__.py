"""Classroom api."""
