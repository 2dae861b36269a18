"""Notification rules: preferences, notifications, reminders (no I/O)."""
