"""Meridian catalog service: institutions, courses and offerings."""
