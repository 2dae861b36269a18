"""CloudEvents envelope, one constant per event type, payload contracts, topics."""
