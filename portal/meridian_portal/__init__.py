"""Meridian's web portal: server-rendered pages that call the public API for the signed-in user."""
