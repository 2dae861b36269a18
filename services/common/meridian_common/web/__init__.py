"""Flask plumbing: app factory, problem+json, auth, health, validation, request context, logs."""
