"""Event handlers of the notifications worker."""
