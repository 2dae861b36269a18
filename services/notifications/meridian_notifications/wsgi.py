"""gunicorn entry point: `gunicorn meridian_notifications.wsgi:app`."""

from .app import create_app

app = create_app()
