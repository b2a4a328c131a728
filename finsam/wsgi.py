"""WSGI entry point, e.g. for gunicorn: gunicorn finsam.wsgi."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")

application = get_wsgi_application()
