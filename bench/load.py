"""The load generator: keep-alive HTTP/1.1 GETs over N connections, in its own process.

Stdlib only (asyncio streams, a minimal HTTP/1.1 client: Content-Length or chunked
bodies), so that it costs the server's machine little and runs from any interpreter.
Connection i walks the request list from its own offset; a run issues requests for
`--duration` seconds or until `--max-requests`, whichever comes first, and for slow
targets keeps going until `--min-requests` have been issued (so that a few seconds of a
slow server still sample the mix), never past `--max-duration`; then it waits for the
requests in flight (each bounded by `--timeout`). Latency is measured per request,
from writing it to reading the last byte of the answer.

    python bench/load.py --port 8701 --paths paths.json --concurrency 8 --duration 5
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import HOST, emit, latency_summary


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    bytes_read: int = 0
    issued: int = 0


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, int]:
        """(status, body bytes) of one GET, reconnecting when the server closed."""
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        assert self.reader is not None
        request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nAccept: */*\r\n\r\n"
        self.writer.write(request.encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
            size = len(body)
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            size = await self._chunked()
        else:
            size = len(await self.reader.read())
            await self.close()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, size

    async def _chunked(self) -> int:
        assert self.reader is not None
        size = 0
        while True:
            length = int((await self.reader.readline()).split(b";")[0], 16)
            if length == 0:
                await self.reader.readuntil(b"\r\n")  # trailer end
                return size
            size += len(await self.reader.readexactly(length))
            await self.reader.readexactly(2)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


@dataclass(frozen=True)
class Budget:
    deadline: float  # stop issuing after this, once min_requests are issued
    hard_deadline: float  # stop issuing after this in any case
    min_requests: int
    max_requests: int

    def more(self, issued: int) -> bool:
        now = time.perf_counter()
        if issued >= self.max_requests or now >= self.hard_deadline:
            return False
        return now < self.deadline or issued < self.min_requests


async def _worker(
    index: int, port: int, paths: list[str], budget: Budget, timeout: float, tally: Tally
) -> None:
    connection = Connection(port)
    position = index * max(1, len(paths) // 37)  # spread connections over the mix
    try:
        while budget.more(tally.issued):
            tally.issued += 1
            path = paths[position % len(paths)]
            position += 1
            started = time.perf_counter()
            try:
                status, size = await asyncio.wait_for(connection.get(path), timeout)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                tally.errors += 1
                await connection.close()
                continue
            tally.latencies_ms.append((time.perf_counter() - started) * 1000)
            tally.statuses[status] = tally.statuses.get(status, 0) + 1
            tally.bytes_read += size
            if status != 200:
                tally.errors += 1
    finally:
        await connection.close()


async def run(
    port: int,
    paths: list[str],
    concurrency: int,
    limits: argparse.Namespace,
) -> dict[str, object]:
    tally = Tally()
    started = time.perf_counter()
    budget = Budget(
        started + limits.duration,
        started + max(limits.duration, limits.max_duration),
        limits.min_requests,
        limits.max_requests,
    )
    await asyncio.gather(
        *(_worker(i, port, paths, budget, limits.timeout, tally) for i in range(concurrency))
    )
    elapsed = time.perf_counter() - started
    completed = len(tally.latencies_ms)
    return {
        "concurrency": concurrency,
        "completed": completed,
        "errors": tally.errors,
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "seconds": round(elapsed, 3),
        "rps": round(completed / elapsed, 1) if elapsed else 0.0,
        "mean_bytes": round(tally.bytes_read / completed) if completed else 0,
        **latency_summary(tally.latencies_ms),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--paths", type=Path, required=True, help="JSON list of request paths")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--min-requests", type=int, default=0)
    parser.add_argument("--max-duration", type=float, default=30.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    paths: list[str] = json.loads(args.paths.read_text(encoding="utf-8"))
    result = asyncio.run(run(args.port, paths, args.concurrency, args))
    emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
