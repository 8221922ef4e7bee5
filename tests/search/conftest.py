"""Engines for the conformance suite (`conformance.py`), and its fixture documents.

`engine` is an empty engine of each registered built-in: `sqlite` always, `meilisearch`
when `MEILI_URL` points at a live server (skipped otherwise, with the reason). `loaded`
is the same engine holding `documents`, the fixture documents of
`fixtures/documents.yaml`.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import indexer.search  # noqa: F401  (registers the built-in engines)
from indexer.casestudy.taxonomy import Taxonomy
from indexer.operations.config import Settings
from indexer.search import registry
from indexer.search.base import FACETS, SearchDocument, SearchEngine
from indexer.search.embedding import attach_vectors, default_embedder
from tests.search.seeded import seed_documents, seeded_engine  # noqa: F401  (fixtures)

DOCUMENTS_FILE = Path(__file__).resolve().parent / "fixtures" / "documents.yaml"
MEILI_URL = os.environ.get("MEILI_URL")
MEILI_MASTER_KEY = os.environ.get("MEILI_MASTER_KEY")
NO_MEILI = "MEILI_URL is not set: the live Meilisearch conformance run needs a server"
ENGINES = ["sqlite", pytest.param("meilisearch", marks=pytest.mark.meilisearch)]
TAG_VOCABULARIES = ("sectors", "factors", "themes", "populations")


# fixture documents ----------------------------------------------------------------------


def tag_text(data: dict[str, Any], taxonomy: Taxonomy) -> str:
    """Mirrors `indexer.search.documents.tag_text`: both labels of every tagged term."""
    labels: dict[str, None] = {}
    for vocabulary in TAG_VOCABULARIES:
        for term_id in data[vocabulary]:
            term = taxonomy.vocabulary(vocabulary).term(term_id)
            assert term is not None, f"{data['slug']}: {term_id} is not in {vocabulary}"
            labels.setdefault(term.label.en, None)
            labels.setdefault(term.label.fr, None)
    return " · ".join(labels)


def to_document(data: dict[str, Any], taxonomy: Taxonomy) -> SearchDocument:
    document = SearchDocument(
        slug=data["slug"],
        title=data["title"],
        summary=data["summary"],
        tags=tag_text(data, taxonomy),
        body=data["body"],
        language=data["language"],
        province=data["province"],
        community=data["community"],
        community_size=data["community_size"],
        sectors=tuple(data["sectors"]),
        factors=tuple(data["factors"]),
        themes=tuple(data["themes"]),
        populations=tuple(data["populations"]),
        evidence=data["evidence"],
        status=data["status"],
        license=data.get("license", "CC-BY-4.0"),
        date=str(data["date"]),
    )
    for facet, field in FACETS.items():  # a typo in the data fails here, not in a test
        for value in document.facet_values(facet):
            if field.indexed.vocabulary:
                known = taxonomy.vocabulary(field.indexed.vocabulary).ids
                assert value in known, f"{document.slug}: {facet} {value!r} is not in the taxonomy"
            else:
                assert field.indexed.pattern, facet
                assert field.indexed.pattern.match(value), f"{document.slug}: {facet} {value!r}"
    return document


@pytest.fixture(scope="session")
def documents(taxonomy: Taxonomy) -> tuple[SearchDocument, ...]:
    with DOCUMENTS_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    loaded = [to_document(item, taxonomy) for item in data]
    assert len({document.slug for document in loaded}) == len(loaded), "duplicate slugs"
    # Embedded once for the session, as the core does before indexing (`indexer.vectors`)
    return tuple(attach_vectors(loaded, default_embedder())[0])


# engines --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def meili_index() -> Iterator[str]:
    """One index name per test session (every test empties it first); deleted at the end."""
    name = f"lipkb_conformance_{uuid.uuid4().hex[:12]}"
    yield name
    if MEILI_URL:
        import meilisearch
        from meilisearch.errors import MeilisearchError

        client = meilisearch.Client(MEILI_URL, MEILI_MASTER_KEY)
        with contextlib.suppress(MeilisearchError):
            client.wait_for_task(client.delete_index(name).task_uid)


@pytest.fixture(params=ENGINES)
def engine(
    request: pytest.FixtureRequest, tmp_path: Path, taxonomy: Taxonomy
) -> Iterator[SearchEngine]:
    """An empty engine."""
    name: str = request.param
    index = "practices"
    if name == "meilisearch":
        if not MEILI_URL:
            pytest.skip(NO_MEILI)
        index = request.getfixturevalue("meili_index")
    settings = Settings(
        data_dir=tmp_path,
        search_engine=name,
        meili_url=MEILI_URL,
        meili_master_key=MEILI_MASTER_KEY,
        meili_index=index,
    )
    created = registry.create(settings, taxonomy)
    created.prepare()  # as `lipkb migrate` and start-up do
    if created.count():  # a server's index, left by the previous test
        created.rebuild([])
    yield created
    created.close()


@pytest.fixture
def loaded(engine: SearchEngine, documents: tuple[SearchDocument, ...]) -> SearchEngine:
    """The engine holding the fixture documents."""
    engine.index(documents)
    return engine
