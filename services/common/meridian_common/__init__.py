"""Shared plumbing for Meridian services. No business rules live here."""
