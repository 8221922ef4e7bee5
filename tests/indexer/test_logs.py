"""The log lines of `lipkb serve`: one JSON object each, request ids, no flood."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from indexer.operations import logs


@pytest.fixture
def written() -> Iterator[io.StringIO]:
    """Records through the serving configuration into a buffer, restored afterwards."""
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    logs.configure("INFO", "json")
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    yield stream
    root.handlers[:], level = saved
    root.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_every_line_is_a_json_object_with_uvicorn_and_request_fields(
    written: io.StringIO,
) -> None:
    logging.getLogger("uvicorn.error").info("Started server process")
    token = logs.REQUEST_ID.set("req-1")
    try:
        logging.getLogger("lipkb.api").info("GET /x", extra={"status": 200, "duration_ms": 3.5})
    finally:
        logs.REQUEST_ID.reset(token)
    started, request = lines(written)
    assert started["logger"] == "uvicorn.error"
    assert str(started["time"]).endswith("+00:00")
    assert "request_id" not in started
    assert request["request_id"] == "req-1"
    assert (request["level"], request["status"], request["duration_ms"]) == ("INFO", 200, 3.5)


def test_repeated_errors_write_one_line_then_count_what_was_suppressed(
    written: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr("time.monotonic", lambda: now[0])
    accept = logging.getLogger("asyncio")
    for _ in range(1000):
        accept.error("socket.accept() out of system resource")
    now[0] += logs.REPEAT_INTERVAL
    accept.error("socket.accept() out of system resource")
    first, later = lines(written)
    assert "suppressed" not in first
    assert later["suppressed"] == 999


def test_info_lines_are_never_suppressed(written: io.StringIO) -> None:
    for _ in range(50):
        logging.getLogger("lipkb.access").info("GET / 200")
    assert len(lines(written)) == 50


def test_messages_differing_only_in_numbers_are_one_message(written: io.StringIO) -> None:
    """asyncio formats its messages itself: a retry timer's `when=` and the addresses
    differ on every line of one failure."""
    loop = logging.getLogger("asyncio")
    for n in range(500):
        loop.error(f"Exception in callback _start_serving(<function at 0x7f{n:04x}>) when={n}.5")
    loop.error("Exception in callback something else")
    assert [line["message"] for line in lines(written)] == [
        "Exception in callback _start_serving(<function at 0x7f0000>) when=0.5",
        "Exception in callback something else",
    ]
