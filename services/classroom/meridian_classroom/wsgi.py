"""gunicorn entry point: `gunicorn meridian_classroom.wsgi:app`."""

from .app import create_app

app = create_app()
