"""HTTP API of the notifications service (flask-smorest blueprints)."""
