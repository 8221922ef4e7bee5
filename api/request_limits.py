"""Over-long request lines and headers answered 414 and 431, before any route runs.

`lipkb serve` buffers up to 64 KiB of a request head (`SERVER_HEAD_LIMIT`) and answers a
bare 400 beyond it; below that, these limits give the client a problem saying what was too
long.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from api.problems import problem_response

MAX_TARGET = 8 * 1024  # path and query string, as browsers and proxies commonly allow
MAX_HEADERS = 16 * 1024  # every header name and value together
STATUSES = (414, 431)  # what any route may answer, documented on each (`api.openapi`)


class RequestLimits:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            target = len(scope.get("raw_path") or scope["path"].encode()) + len(
                scope.get("query_string", b"")
            )
            headers = sum(len(name) + len(value) for name, value in scope["headers"])
            if target > MAX_TARGET:
                detail = f"the address is {target} bytes long; at most {MAX_TARGET} are accepted"
                await problem_response(414, detail)(scope, receive, send)
                return
            if headers > MAX_HEADERS:
                detail = f"the headers are {headers} bytes long; at most {MAX_HEADERS} are accepted"
                await problem_response(431, detail)(scope, receive, send)
                return
        await self.app(scope, receive, send)
