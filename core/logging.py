"""Log records carry the request id and user id; JsonFormatter writes one JSON object a line."""

import contextvars
import json
import logging
from datetime import UTC, datetime

current_request = contextvars.ContextVar("current_request", default=None)


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = current_request.get()
        record.request_id = getattr(request, "request_id", "-") if request is not None else "-"
        # Only a user the authentication middleware already loaded: logging never queries the session.
        user = getattr(request, "_cached_user", None)
        record.user_id = user.pk if user is not None and user.is_authenticated else "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user_id": getattr(record, "user_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
