"""Enrollment HTTP API: one blueprint module per resource."""
