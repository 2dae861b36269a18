"""gunicorn entry point: `gunicorn meridian_gateway.wsgi:app`."""

from .app import create_app

app = create_app()
