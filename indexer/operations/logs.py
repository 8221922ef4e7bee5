"""Log lines of a running service: one JSON object (or one readable line) per record.

`config(level, fmt)` is the `logging.config.dictConfig` of `lipkb serve`, handed to
uvicorn so that its own loggers and ours share one formatter; `configure` applies it.
Records made during a request carry its id (`request_id`, set by the HTTP layer), and a
record may carry the fields of `FIELDS` as `extra=`: the access log (logger
`lipkb.access`, written by the HTTP layer once per request; uvicorn's own is off) has
method, path, status and duration_ms. Repeated warnings and errors are
rate-limited (`RepeatFilter`): a loop failing the same way (an accept loop out of file
descriptors) writes one line per interval, not hundreds of megabytes.
"""

from __future__ import annotations

import json
import logging
import logging.config
import re
import sys
import time
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

Format = Literal["auto", "json", "text"]
Level = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]

# The id of the request being served, if any: every record made meanwhile carries it.
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
# Fields a record may carry (as `extra=`), written in this order after the message.
FIELDS = ("method", "path", "status", "duration_ms", "suppressed")
REPEAT_INTERVAL = 10.0


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
    if request_id:
        fields["request_id"] = request_id
    for name in FIELDS:
        value = getattr(record, name, None)
        if value is not None:
            fields[name] = value
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (ISO 8601, UTC), level, logger, message, the fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """For a person at a terminal: time, level, logger, message, then `name=value`s."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        fields = " ".join(f"{name}={value}" for name, value in _fields(record).items())
        line = super().formatMessage(record)
        return f"{line} {fields}" if fields else line


class RepeatFilter(logging.Filter):
    """Lets through one warning or error per logger and message template (numbers aside)
    per `interval` seconds; the next one let through says how many were suppressed meanwhile. Lower
    levels pass untouched (an access line per request is bounded by the requests)."""

    def __init__(self, interval: float = REPEAT_INTERVAL) -> None:
        super().__init__()
        self.interval = interval
        self._last: dict[tuple[str, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, _template(record))
        now = time.monotonic()
        last = self._last.get(key)
        if last is not None and now - last[0] < self.interval:
            self._last[key] = (last[0], last[1] + 1)
            return False
        self._last[key] = (now, 0)
        if last is not None and last[1]:
            record.suppressed = last[1]
        return True


# Numbers and addresses in a message made before logging (asyncio formats its own: a
# timer's `when=1349.93`, an object's `0x7f14...`) do not make it another message.
_VARYING = re.compile(r"0x[0-9a-fA-F]+|\d+(?:\.\d+)?")


def _template(record: logging.LogRecord) -> str:
    return _VARYING.sub("#", str(record.msg))


def resolve(fmt: Format) -> Literal["json", "text"]:
    """`auto` is text on a terminal and JSON otherwise (a file, a container's log)."""
    if fmt == "auto":
        return "text" if sys.stderr.isatty() else "json"
    return fmt


def config(level: Level, fmt: Format) -> dict[str, Any]:
    """The logging configuration of a serving process (uvicorn's `log_config`): every
    record through one handler on standard error, uvicorn's and ours alike."""
    formatter = JsonFormatter if resolve(fmt) == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"lipkb": {"()": f"{__name__}.{formatter.__name__}"}},
        "filters": {"repeats": {"()": f"{__name__}.{RepeatFilter.__name__}"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "lipkb",
                "filters": ["repeats"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # uvicorn gives these handlers of their own: theirs go, ours (root's) stay.
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": True},
        },
    }


def configure(level: Level, fmt: Format) -> None:
    logging.config.dictConfig(config(level, fmt))
