"""Use cases: enroll, withdraw, promote, draw, cancel and repair, on top of the ledger."""
