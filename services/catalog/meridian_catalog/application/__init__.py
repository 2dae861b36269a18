"""Catalog use cases: each loads aggregates through ports, applies a domain rule, stores."""
