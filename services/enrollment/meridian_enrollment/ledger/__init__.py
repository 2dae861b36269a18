"""Claims by insert under unique ids: the only way this service guards invariants under
concurrency (FerretDB runs updates without isolation; inserts are atomic everywhere)."""
