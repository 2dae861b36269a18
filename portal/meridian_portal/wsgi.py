"""gunicorn entry point: `meridian_portal.wsgi:app`."""

from .app import create_app

app = create_app()
