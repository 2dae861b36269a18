"""gunicorn entry point: `gunicorn meridian_enrollment.wsgi:app`."""

from .app import create_app

app = create_app()
