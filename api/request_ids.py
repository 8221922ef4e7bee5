"""An id for every request: the client's (or the proxy's) `X-Request-ID` when it is a
short token, a new one otherwise; every log record made meanwhile carries it, and every
response returns it, so that a user's report and the server's lines can be matched.
"""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from indexer.operations.logs import REQUEST_ID

HEADER = "X-Request-ID"
# What a log line can carry as is: no spaces, quotes or control characters, bounded.
VALID = re.compile(rb"[A-Za-z0-9._-]{1,64}")


def request_id(scope: Scope) -> str:
    """The incoming id if it is a valid one, else a new one."""
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            return value.decode() if VALID.fullmatch(value) else uuid.uuid4().hex
    return uuid.uuid4().hex


class RequestIds:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        current = request_id(scope)
        token = REQUEST_ID.set(current)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = current
            await send(message)

        await self.app(scope, receive, send_with_id)
        # Reset only after a normal end: an exception goes on to the server's error
        # handler (`problems.unexpected_problem`), whose record and answer carry the id.
        # The request's task ends there, so the id goes no further.
        REQUEST_ID.reset(token)
