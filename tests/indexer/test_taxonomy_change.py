"""Stored practices survive a taxonomy change: a term added, relabelled or retired.

Each test stores a practice with the real taxonomy, then serves it with an edited copy of
the taxonomy file (the version left as it is: the fingerprint notices the edit anyway),
before and after `lipkb reindex`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from api.app import create_app
from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import DEFAULT_TAXONOMY_PATH, Taxonomy
from indexer.cli import main
from indexer.operations.config import Settings
from indexer.publishing import Publisher
from indexer.search import registry
from indexer.store import Store
from tests.indexer.test_publishing import practice

Edit = Callable[[dict[str, Any]], None]


def terms(data: dict[str, Any], vocabulary: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = data["vocabularies"][vocabulary]["terms"]
    return found


@pytest.fixture
def deployment(
    store: Store, pipeline: Pipeline, taxonomy: Taxonomy, tmp_path: Path
) -> Callable[[Edit], Settings]:
    """Stores the sample practice (sectors: seniors-services by its author, health inferred
    from "public health"); gives settings over it with the taxonomy edited by a function."""
    url = store.engine.url.render_as_string(hide_password=False)
    settings = Settings(data_dir=tmp_path / "data", database_url=url)
    engine = registry.create(settings, taxonomy)
    Publisher(store, engine, taxonomy).publish([(practice(pipeline), "file:tea.md")], author="test")
    engine.close()

    def edited(edit: Edit) -> Settings:
        data = yaml.safe_load(DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8"))
        edit(data)
        path = tmp_path / "taxonomy.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return Settings(data_dir=settings.data_dir, database_url=url, taxonomy_path=path)

    return edited


def tags(client: TestClient) -> dict[str, str]:
    answer = client.get("/api/practices/seniors-tea")
    assert answer.status_code == 200, answer.text
    return {tag["term"]: tag["source"] for tag in answer.json()["tags"]}


def search(client: TestClient, **params: str) -> dict[str, Any]:
    answer = client.get("/api/search", params=params)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def reindex(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIPKB_DATABASE_URL", settings.store_url)
    monkeypatch.setenv("LIPKB_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("LIPKB_TAXONOMY", str(settings.taxonomy_path))
    assert main(["reindex"]) == 0


def test_a_retired_term_stays_readable_and_its_inferred_tag_goes_at_reindex(
    deployment: Callable[[Edit], Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    def retire(data: dict[str, Any]) -> None:
        for vocabulary, term in (("sectors", "health"), ("sectors", "seniors-services")):
            data["vocabularies"][vocabulary]["terms"] = [
                t for t in terms(data, vocabulary) if t["id"] != term
            ]

    settings = deployment(retire)
    with TestClient(create_app(settings)) as client:
        assert tags(client) == {
            "seniors-services": "author",
            "low-cost": "author",
            "health": "inferred",
        }
        assert client.get("/api/practices/seniors-tea.md").status_code == 200
        assert client.get("/api/practices/seniors-tea/similar").status_code == 200
        assert search(client, q="tea")["total"] == 1
    reindex(settings, monkeypatch)
    with TestClient(create_app(settings)) as client:
        # The author's retired term is kept as written; the inferred one is recomputed away.
        assert tags(client) == {"seniors-services": "author", "low-cost": "author"}
        result = search(client, q="tea")
        assert [hit["slug"] for hit in result["hits"]] == ["seniors-tea"]
        assert result["facets"]["sector"] == {"seniors-services": 1}


def test_a_relabelled_term_is_searchable_by_its_new_label_after_reindex(
    deployment: Callable[[Edit], Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    def relabel(data: dict[str, Any]) -> None:
        low_cost = next(t for t in terms(data, "factors") if t["id"] == "low-cost")
        low_cost["label"] = {"en": "Shoestring budget", "fr": "Petit budget"}

    settings = deployment(relabel)
    with TestClient(create_app(settings)) as client:
        assert search(client, q="shoestring")["total"] == 0  # the index has the old labels
    reindex(settings, monkeypatch)
    with TestClient(create_app(settings)) as client:
        hits = search(client, q="shoestring")["hits"]
        assert [hit["slug"] for hit in hits] == ["seniors-tea"]
        assert tags(client)["low-cost"] == "author"


def test_an_added_term_is_inferred_at_reindex(
    deployment: Callable[[Edit], Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    def add(data: dict[str, Any]) -> None:
        terms(data, "sectors").append(
            {
                "id": "elder-care",
                "label": {"en": "Elder care", "fr": "Soins aux aînés"},
                "definition": {"en": "Services for older people.", "fr": "Services aux aînés."},
                "synonyms": {"en": ["newcomer elders"], "fr": []},
            }
        )

    settings = deployment(add)
    with TestClient(create_app(settings)) as client:
        assert "elder-care" not in tags(client)
        assert search(client, sector="elder-care")["total"] == 0
    reindex(settings, monkeypatch)
    with TestClient(create_app(settings)) as client:
        assert tags(client)["elder-care"] == "inferred"  # "newcomer elders" in the title
        evidence = client.get("/api/practices/seniors-tea").json()["tags"]
        assert {"vocabulary": "sectors", "term": "elder-care", "source": "inferred",
                "evidence": ["newcomer elders"]} in evidence  # fmt: skip
        assert [h["slug"] for h in search(client, sector="elder-care")["hits"]] == ["seniors-tea"]


def test_reindex_with_an_unchanged_taxonomy_retags_nothing(
    store: Store, publisher: Publisher, pipeline: Pipeline
) -> None:
    publisher.publish([(practice(pipeline), "file:tea.md")], author="test")
    assert publisher.retag() == 0
    assert Publisher(store, publisher.engine, publisher.taxonomy).rebuild() == 1
