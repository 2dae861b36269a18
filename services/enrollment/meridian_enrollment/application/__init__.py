"""Enrollment use cases; they speak to storage only through the ports in `ports.py`."""
