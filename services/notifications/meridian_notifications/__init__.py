"""Meridian notifications: e-mail and in-portal notices fed by platform events."""
