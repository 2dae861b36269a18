"""Catalog business rules, free of Flask, Kafka and storage."""
