"""Connections of `lipkb serve` have Nagle's algorithm off, on the listening socket
uvicorn's workers are handed too (bound without naming TCP, where asyncio leaves it on)."""

from __future__ import annotations

import http.client
import socket
import threading
import time

import uvicorn
from starlette.types import Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.connections import NoDelayH11Protocol


async def hello(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def nodelay_of_served_connection(protocol: type[H11Protocol]) -> int:
    """TCP_NODELAY of the server's side of a connection, served as a worker serves it."""
    listening = socket.socket(socket.AF_INET)  # as uvicorn binds for several workers
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    # No logging configuration: uvicorn's would change this process's loggers for the
    # tests that follow.
    config = uvicorn.Config(hello, http=protocol, lifespan="off", log_config=None)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]})
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)  # kept alive
        client.request("GET", "/")
        assert client.getresponse().read() == b"ok"
        (connection,) = server.server_state.connections
        served = connection.transport.get_extra_info("socket")
        value: int = served.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        client.close()
        return value
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listening.close()


def test_every_connection_has_nagle_off_where_uvicorns_own_protocol_leaves_it_on() -> None:
    assert nodelay_of_served_connection(H11Protocol) == 0  # the delay this protocol removes
    assert nodelay_of_served_connection(NoDelayH11Protocol) == 1
