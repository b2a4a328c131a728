"""What an error line in the log says about the request: its path and the user's id, nothing else."""

import logging


class RequestContextFilter(logging.Filter):
    """Adds `path` and `user_id` to every record ("-" when there is no request or user).

    Only these two are read from the request: its body, cookies and headers may
    hold passwords and session keys and never reach the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        user = getattr(request, "user", None)
        user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
        record.path = path if isinstance(path, str) else "-"
        record.user_id = user_id if user_id is not None else "-"
        return True
