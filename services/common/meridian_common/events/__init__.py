"""CloudEvents envelope, event contracts, topics, and the Kafka plumbing that moves them."""
