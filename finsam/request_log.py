"""What the log says about a request: its id, path, status, time and the user's id, nothing else.

Every request gets an id: the proxy's `X-Request-ID` when it sends a well-formed one
(so that the proxy's, the app's and the worker's lines can be joined), else a new
one. The id is sent back in the response's `X-Request-ID` and is on every log line
written while the request is served.

Only the path, the method and the user's id are read from the request: its body,
cookies and other headers may hold passwords and session keys and never reach the log.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy may give as an id: nginx's $request_id (32 hex digits), a UUID, or the like.
# Anything else (too long, spaces, control characters) is replaced, never logged.
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

_current = ContextVar("finsam_request", default=None)
access_logger = logging.getLogger("finsam.access")


def request_context(request) -> dict:
    """`request_id`, `path` and `user_id` of a request ("-" for what is not known)."""
    path = getattr(request, "path", None)
    user = getattr(request, "user", None)
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    return {
        "request_id": getattr(request, "request_id", None) or "-",
        "path": path if isinstance(path, str) else "-",
        "user_id": user_id if user_id is not None else "-",
    }


class RequestContextFilter(logging.Filter):
    """Adds the request's context to every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.__dict__.update(request_context(getattr(record, "request", None) or _current.get()))
        return True


class RequestLogMiddleware:
    """Gives the request its id and writes one access line when the response is ready."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = offered if WELL_FORMED_ID.fullmatch(offered) else uuid.uuid4().hex
        token = _current.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id
            access_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    **request_context(request),
                    "method": request.method,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _current.reset(token)
