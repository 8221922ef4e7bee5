"""`GET /api/export`, `GET /feeds/practices.atom` and `GET /api/practices/{slug}.jsonld`."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from typing import Any

import feedparser
from fastapi.testclient import TestClient

from indexer.reuse.export import CSV_COLUMNS, FORMULA_TRIGGERS
from indexer.reuse.jsonld import TERMS

PUBLIC = "http://127.0.0.1:8000"  # the settings' default LIPKB_PUBLIC_URL
SLUG = "employer-mentoring-circles-waterloo"
TRANSLATION = "cercles-de-mentorat-employeurs-waterloo"


def search_slugs(client: TestClient, query: str) -> set[str]:
    """Every slug the search finds, page by page, as a user of `/api/search` would."""
    slugs: set[str] = set()
    page = 1
    while True:
        body = client.get(f"/api/search?{query}&per_page=10&page={page}").json()
        slugs |= {hit["slug"] for hit in body["hits"]}
        if page >= body["pages"]:
            return slugs
        page += 1


def ndjson(client: TestClient, query: str = "") -> list[dict[str, Any]]:
    response = client.get(f"/api/export?format=ndjson&{query}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-ndjson"
    return [json.loads(line) for line in response.text.splitlines()]


def test_an_export_without_filters_holds_every_published_practice(client: TestClient) -> None:
    records = ndjson(client)
    total = client.get("/api/search?per_page=1").json()["total"]
    assert len(records) == total >= 60  # far more than one page of results
    first = records[0]
    assert first["url"] == f"{PUBLIC}/practices/{first['slug']}"
    assert first["attribution"]["license"] in {"CC-BY-4.0", "CC-BY-NC-4.0", "CC-BY-SA-4.0"}
    assert first["content_hash"] == hashlib.sha256(first["markdown"].encode()).hexdigest()
    markdown = client.get(f"/api/practices/{first['slug']}.md").text
    assert first["markdown"] == markdown  # what an import reads back is the Markdown file


def test_filters_and_text_narrow_an_export_to_what_the_search_finds(client: TestClient) -> None:
    for query in (
        "province=NB",
        "sector=employment&language=fr",
        "q=mentoring",
        "license=CC-BY-SA-4.0",
    ):
        slugs = {record["slug"] for record in ndjson(client, query)}
        assert slugs == search_slugs(client, query), query
        assert 0 < len(slugs) < 60, query


def test_each_format_is_an_attachment_of_its_media_type(client: TestClient) -> None:
    for format, media_type in (
        ("ndjson", "application/x-ndjson"),
        ("csv", "text/csv; charset=utf-8"),
        ("zip", "application/zip"),
    ):
        response = client.get(f"/api/export?format={format}&province=ON")
        assert response.headers["content-type"] == media_type
        disposition = response.headers["content-disposition"]
        assert disposition.startswith('attachment; filename="lip-practices-')
        assert disposition.endswith(f'.{format}"')


def test_the_csv_opens_with_accents_and_no_formula_cell(client: TestClient) -> None:
    response = client.get("/api/export?format=csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheets need
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == CSV_COLUMNS
    assert len(rows) - 1 == len(ndjson(client))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell.lstrip(" ").startswith(FORMULA_TRIGGERS)]
    assert any("é" in cell for cell in cells)
    slug_at = CSV_COLUMNS.index("slug")
    assert TRANSLATION in {row[slug_at] for row in rows[1:]}


def test_the_zip_holds_the_files_the_taxonomy_and_a_manifest(client: TestClient) -> None:
    response = client.get("/api/export?format=zip&province=SK")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    manifest = json.loads(archive.read("manifest.json"))
    slugs = {entry["slug"] for entry in manifest["practices"]}
    assert slugs == search_slugs(client, "province=SK")
    assert manifest["source"] == PUBLIC
    names = set(archive.namelist())
    assert {"taxonomy.yaml", "licenses.yaml", "ATTRIBUTION.md"} <= names
    for entry in manifest["practices"]:
        text = archive.read(entry["file"])
        assert hashlib.sha256(text).hexdigest() == entry["content_hash"]
        assert entry["license"]


def test_bad_filters_or_format_are_refused_by_name(client: TestClient) -> None:
    for query, field in (
        ("format=xlsx", "format"),
        ("sector=nope", "sector"),
        ("province=ZZ", "province"),
    ):
        for path in ("/api/export", "/feeds/practices.atom"):
            if path.endswith("atom") and field == "format":
                continue
            response = client.get(f"{path}?{query}")
            assert response.status_code == 422, (path, query)
            assert response.headers["content-type"] == "application/problem+json"
            assert field in json.dumps(response.json()["errors"]), (path, query)


def test_the_feed_parses_with_ids_dates_links_language_and_licence(client: TestClient) -> None:
    response = client.get("/feeds/practices.atom", headers={"Host": "attacker.example"})
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.id == f"{PUBLIC}/feeds/practices.atom?lang=en"
    assert feed.feed.language == "en"
    assert "attacker.example" not in response.text
    entries = feed.entries
    assert len(entries) == min(50, len(ndjson(client)))
    stamps = [entry.updated_parsed for entry in entries]
    assert stamps == sorted(stamps, reverse=True)  # newest first
    assert feed.feed.updated_parsed == stamps[0]
    for entry in entries:
        assert entry.id == entry.link
        assert entry.link.startswith(f"{PUBLIC}/practices/")
        assert entry.rights
        assert entry.published_parsed
        assert any(link.rel == "license" for link in entry.links) or "NC" in entry.rights
    languages = {entry.title_detail.language for entry in entries}
    assert languages <= {"en", "fr"}
    assert len(languages) == 2


def test_filters_narrow_the_feed_and_name_it(client: TestClient) -> None:
    feed = feedparser.parse(
        client.get("/feeds/practices.atom?language=fr&lang=fr&q=mentorat").content
    )
    assert feed.feed.language == "fr"
    assert feed.feed.id == f"{PUBLIC}/feeds/practices.atom?q=mentorat&language=fr&lang=fr"
    alternate = next(link.href for link in feed.feed.links if link.rel == "alternate")
    assert alternate == f"{PUBLIC}/?q=mentorat&language=fr&lang=fr"
    slugs = {entry.link.rsplit("/", 1)[1] for entry in feed.entries}
    assert slugs == search_slugs(client, "language=fr&q=mentorat")
    assert TRANSLATION in slugs
    assert 0 < len(slugs) < 20


def test_an_empty_selection_is_a_valid_empty_feed(client: TestClient) -> None:
    feed = feedparser.parse(
        client.get("/feeds/practices.atom?province=YT&language=fr&status=discontinued").content
    )
    assert not feed.bozo
    assert feed.entries == []


def test_one_practice_as_json_ld_names_its_translation(client: TestClient) -> None:
    response = client.get(f"/api/practices/{SLUG}.jsonld")
    assert response.headers["content-type"] == "application/ld+json"
    document = response.json()
    assert document["@type"] == "Article"
    assert document["url"] == f"{PUBLIC}/practices/{SLUG}"
    assert document["inLanguage"] == "en"
    assert {"@type": "Article", "url": f"{PUBLIC}/practices/{TRANSLATION}"} in document[
        "workTranslation"
    ]
    assert used_terms(document) <= TERMS
    assert client.get("/api/practices/nope.jsonld").status_code == 404


def used_terms(value: Any) -> set[str]:
    if isinstance(value, list):
        return {term for item in value for term in used_terms(item)}
    if not isinstance(value, dict):
        return set()
    own = {key for key in value if not key.startswith("@")}
    types = {value["@type"]} if "@type" in value else set()
    return own | types | {term for item in value.values() for term in used_terms(item)}


def test_the_practice_page_embeds_the_same_json_ld_and_its_other_language(
    client: TestClient,
) -> None:
    html = client.get(f"/practices/{SLUG}").text
    head = html.split("</head>", 1)[0]
    start = head.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    embedded = json.loads(head[start : head.index("</script>", start)])
    assert embedded == client.get(f"/api/practices/{SLUG}.jsonld").json()
    assert f'<link rel="alternate" hreflang="fr" href="{PUBLIC}/practices/{TRANSLATION}">' in head
    assert f'<link rel="alternate" hreflang="en" href="{PUBLIC}/practices/{SLUG}">' in head
