"""Use cases of the notifications service and the ports they call."""
