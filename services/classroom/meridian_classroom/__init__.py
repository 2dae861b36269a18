"""Meridian classroom service."""
