"""Enrollment business rules, free of Flask, Kafka and storage."""
