"""The embedded engine's index file in a long-running service: open files stay bounded
as threads come and go, a damaged file never stops it, rebuilds do not grow the file."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from indexer.casestudy.taxonomy import Taxonomy
from indexer.search.base import EngineUnavailable, SearchDocument, SearchQuery
from indexer.search.sqlite import SqliteEngine, schema
from indexer.search.sqlite.connections import IDLE
from tests.search.conformance import generated_documents

ROOT = Path(__file__).resolve().parents[2]
Documents = tuple[SearchDocument, ...]

# Bursts of new threads searching at once, separated by idle spells, under a file limit
# that the old connection-per-thread engine exhausted in its third burst.
BURSTS = textwrap.dedent(
    """
    import json, os, resource, sys, threading
    from pathlib import Path
    from indexer.search.base import SearchQuery
    from indexer.search.sqlite import SqliteEngine
    from indexer.casestudy.taxonomy import Taxonomy
    from tests.search.conformance import generated_documents

    resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))
    engine = SqliteEngine(Path(sys.argv[1]), Taxonomy.load(), None)
    engine.index(generated_documents(30))
    open_files, errors = [], []

    def searcher(burst, number, barrier):
        barrier.wait()
        try:
            for text in ("mentoring", "evenings", f"practice {burst} {number}"):
                assert engine.search(SearchQuery(text=text)).total > 0
        except BaseException as err:
            errors.append(repr(err))

    for burst in range(8):
        barrier = threading.Barrier(16)
        threads = [threading.Thread(target=searcher, args=(burst, n, barrier)) for n in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        open_files.append(len(os.listdir("/proc/self/fd")))
    print(json.dumps({"open_files": open_files, "errors": errors[:3]}))
    """
)


def test_bursts_of_threads_keep_open_files_bounded_under_a_low_file_limit(
    tmp_path: Path,
) -> None:
    run = subprocess.run(
        [sys.executable, "-c", BURSTS, str(tmp_path / "search.sqlite3")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(run.stdout.splitlines()[-1])
    assert report["errors"] == []
    open_files = report["open_files"]
    # At most the pool's idle connections (a file, its WAL and shared memory each) stay
    # open between bursts, however many threads came before.
    assert max(open_files) <= open_files[0] + 3 * IDLE, open_files


@pytest.fixture
def index_file(tmp_path: Path, taxonomy: Taxonomy, documents: Documents) -> Path:
    """An index file holding the fixture documents, closed (its WAL folded in)."""
    path = tmp_path / "search.sqlite3"
    engine = SqliteEngine(path, taxonomy, None)
    engine.index(documents)
    engine.close()
    return path


def garbage(path: Path) -> None:
    path.write_bytes(b"\x8f not a database " * 4096)


def truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def fts_dropped(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE fts")


DAMAGE = [garbage, truncated, fts_dropped]


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_file_is_moved_aside_and_the_engine_starts_empty(
    index_file: Path, taxonomy: Taxonomy, documents: Documents, damage: object
) -> None:
    damage(index_file)  # type: ignore[operator]
    engine = SqliteEngine(index_file, taxonomy, None)
    assert engine.count() == 0  # empty: `ensure_index` and `lipkb reindex` refill it
    assert index_file.with_name("search.sqlite3.damaged").exists()
    engine.rebuild(documents)
    assert engine.search(SearchQuery(text="quilting")).total == 1
    assert engine.health().ok


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_file_damaged_while_serving_is_unavailable_until_rebuilt(
    tmp_path: Path, taxonomy: Taxonomy, documents: Documents, damage: object
) -> None:
    path = tmp_path / "search.sqlite3"
    engine = SqliteEngine(path, taxonomy, None)
    engine.index(documents)
    assert engine.search(SearchQuery(text="quilting")).total == 1
    engine.close()  # folds the WAL in, so that the damage reaches every page
    damage(path)  # type: ignore[operator]
    with pytest.raises(EngineUnavailable, match="lipkb reindex"):
        engine.search(SearchQuery(text="housing"))  # not a cached answer
    health = engine.health()
    assert not health.ok
    engine.rebuild(documents)  # a rebuild mends it
    assert engine.search(SearchQuery(text="quilting")).total == 1
    assert engine.health().ok


def test_rebuilds_do_not_grow_the_file(tmp_path: Path, taxonomy: Taxonomy) -> None:
    path = tmp_path / "search.sqlite3"
    engine = SqliteEngine(path, taxonomy, None)
    documents = generated_documents(600)
    engine.index(documents)

    def size() -> int:
        return sum(p.stat().st_size for p in tmp_path.glob("search.sqlite3*"))

    indexed = size()
    for _ in range(5):
        engine.rebuild(documents)
    assert size() <= indexed * 1.2, (indexed, size())
    assert engine.search(SearchQuery(text="mentoring")).total == 200


def test_a_file_made_before_auto_vacuum_is_compacted_by_its_first_rebuild(
    tmp_path: Path, taxonomy: Taxonomy
) -> None:
    path = tmp_path / "search.sqlite3"
    with sqlite3.connect(path) as connection:  # as the engine made them until now
        connection.execute("PRAGMA auto_vacuum = NONE")
        schema.create_meta(connection)
        schema.create_tables(connection)
    engine = SqliteEngine(path, taxonomy, None)
    documents = generated_documents(600)
    engine.index(documents)
    indexed = path.stat().st_size + path.with_name("search.sqlite3-wal").stat().st_size
    engine.rebuild(documents)
    engine.rebuild(documents)
    assert path.stat().st_size <= indexed * 1.2
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA auto_vacuum").fetchone()[0] == 2


def test_a_running_engine_picks_up_the_file_another_process_rebuilt(
    index_file: Path, taxonomy: Taxonomy
) -> None:
    serving = SqliteEngine(index_file, taxonomy, None)
    assert serving.search(SearchQuery(text="quilting")).total == 1
    garbage(index_file)
    with pytest.raises(EngineUnavailable):
        serving.search(SearchQuery(text="housing"))
    reindexing = SqliteEngine(index_file, taxonomy, None)  # as `lipkb reindex` opens it
    reindexing.rebuild(generated_documents(4))
    reindexing.close()
    assert serving.search(SearchQuery(text="quilting")).total == 0  # no stale answer
    assert serving.search(SearchQuery(text="")).total == 4
    assert serving.health().ok
