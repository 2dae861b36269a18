"""gunicorn entry point: `gunicorn meridian_catalog.wsgi:app`."""

from .app import create_app

app = create_app()
