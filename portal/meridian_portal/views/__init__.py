"""The portal's blueprints, one per area."""
