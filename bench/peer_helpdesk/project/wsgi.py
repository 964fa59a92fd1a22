"""WSGI entry point of the peer project (`granian --interface wsgi wsgi:application` or
`gunicorn wsgi:application`, run from this folder)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")

application = get_wsgi_application()
