"""Request and response schemas of the classroom API (unknown fields are refused)."""
