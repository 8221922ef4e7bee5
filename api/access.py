"""Every request once: a line of the access log (logger `lipkb.access`) and a sample of the
request-latency histogram (`api.metrics.REQUESTS`).

The line has the method, the path, the status and the time taken, never the query string:
a search's text can be a person's own words. The histogram is labelled by route template
(`/api/practices/{slug}`), not by path, so that its series stay as few as the routes.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence

from fastapi.routing import RouteContext, iter_route_contexts
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics import REQUESTS

LOG = logging.getLogger("lipkb.access")
UNMATCHED = "unmatched"  # the route label of every path no route serves
# Any other method is one label: a client chooses the method, and so the label count.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
MAX_PATH = 1024  # of a path in the log (a refused address can be 64 KiB long)
# A decoded path can hold a line break (`%0A`): written escaped, it cannot forge a line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _escaped(match: re.Match[str]) -> str:
    return f"\\x{ord(match[0]):02x}"


def route_template(routes: Sequence[RouteContext], scope: Scope) -> str:
    """The template of the route that serves this request, found as the router finds it:
    the first full match, else the first that matches the path but not the method."""
    served = None
    for route in routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            served = route
            break
        if match == Match.PARTIAL and served is None:
            served = route
    return (served and served.path_format) or UNMATCHED


class AccessLog:
    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        # Each included router's routes, prefixes applied. Middleware is built at the
        # app's first request, when every route is in.
        self.routes = list(iter_route_contexts(routes))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Before the app runs: routing rewrites parts of the scope (a mount's root path).
        route = route_template(self.routes, scope)
        method = scope["method"] if scope["method"] in METHODS else "other"
        status = 500  # unless the app answers: an exception becomes the server's 500
        started = time.perf_counter()
        recorded = False

        def record() -> None:
            nonlocal recorded
            recorded = True
            seconds = time.perf_counter() - started
            REQUESTS.labels(method, route, f"{status // 100}xx").observe(seconds)
            path = _CONTROL.sub(_escaped, scope["path"][:MAX_PATH])
            LOG.info(
                "%s %s %d",
                scope["method"],
                path,
                status,
                extra={
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )

        async def send_observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                record()  # before the last part: an answer a client holds is counted
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        finally:
            if not recorded:  # no answer, or not a whole one: an error, a client gone
                record()
