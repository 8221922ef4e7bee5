"""Connections to the index file, lent for one operation at a time.

A server's worker threads come and go; a connection per thread, never closed, grew the
open files without bound (each connection holds the file, its WAL and shared memory).
Here a connection is borrowed for one search or write and given back: at most `idle`
stay open between uses, so open files follow the number of operations in flight, not
the number of threads that ever ran. A connection that saw a database error is closed,
and one whose file was replaced (a damaged index moved aside) is reopened on the new one.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

IDLE = 8


class Pool:
    def __init__(self, path: Path, idle: int = IDLE) -> None:
        self.path = path
        self.idle = idle
        self._free: list[tuple[sqlite3.Connection, int]] = []
        self._lock = threading.Lock()

    def _file_id(self) -> int:
        try:
            return os.stat(self.path).st_ino
        except FileNotFoundError:
            return -1

    def _open(self) -> tuple[sqlite3.Connection, int]:
        connection = sqlite3.connect(
            self.path, isolation_level=None, timeout=30, check_same_thread=False
        )
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error:
            connection.close()
            raise
        return connection, self._file_id()

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        current = self._file_id()
        lent: tuple[sqlite3.Connection, int] | None = None
        with self._lock:
            while self._free and lent is None:
                candidate = self._free.pop()
                if candidate[1] == current:
                    lent = candidate
                else:
                    candidate[0].close()
        connection, file_id = lent or self._open()
        try:
            yield connection
        except sqlite3.DatabaseError:
            connection.close()
            raise
        except BaseException:
            self._give_back(connection, file_id)
            raise
        self._give_back(connection, file_id)

    def _give_back(self, connection: sqlite3.Connection, file_id: int) -> None:
        if connection.in_transaction:
            connection.rollback()
        with self._lock:
            if len(self._free) < self.idle:
                self._free.append((connection, file_id))
                return
        connection.close()

    def close(self) -> None:
        with self._lock:
            free, self._free = self._free, []
        for connection, _ in free:
            connection.close()
