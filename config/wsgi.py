import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Before the first request, not during it (clinic/warmup.py).
from clinic.warmup import warm_up  # noqa: E402

warm_up()
