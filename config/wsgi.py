import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
settings.SECRET_KEY  # noqa: B018 -- an empty key raises ImproperlyConfigured: never serve without one
