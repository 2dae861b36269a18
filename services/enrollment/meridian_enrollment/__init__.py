"""Meridian enrollment service."""
