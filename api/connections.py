"""The HTTP protocol `lipkb serve` runs: uvicorn's h11 one, with Nagle's algorithm off
on every connection.

With several workers uvicorn binds the listening socket itself without naming TCP as
its protocol, so asyncio does not set TCP_NODELAY on the connections it accepts (it
does with one worker): each answer then waits for the client's delayed acknowledgement,
about 40 ms (uvicorn issue #3149). Set here, it holds whatever the worker count.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):  # a connection already gone
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
