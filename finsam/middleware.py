"""When the database is away: a plain Swedish 503 page instead of a 500, and no traceback.

Django opens a new connection for the next request (or checks a persistent
one first, see CONN_HEALTH_CHECKS), so the app recovers by itself once the
database is back.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.http import HttpResponse

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def database_unavailable_response() -> HttpResponse:
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            logger.error("database unavailable: %s", exception)
            return database_unavailable_response()
        return None
