"""The pages (`/`, `/practices/{slug}`, `/submit`, `/moderate`, `/fit`, `/fit/{slug}`) and
their assets (`/static/...`).

Pages are static HTML shells from `frontend/` that JavaScript modules fill in from the
API; nothing is built and nothing comes from another server. The security headers (a
Content-Security-Policy without inline scripts or styles) come from `api.security`.

Assets are addressed as `/static/<version>/<path>`, where the version is a digest of the
whole `frontend/` folder, written into the shells as they are served: a versioned asset
never changes, so browsers keep it for a year, and a changed file changes every address.
Relative imports between modules inherit the version. Any other `/static/<path>` (an old
version, or no version) is served too, but revalidated every time.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import Response

from api.deps import ServicesDep, StoreDep
from api.linked_data import page_head
from api.problems import problem_response
from indexer.casestudy.schema import MAX_SLUG_LENGTH, SLUG_PATTERN
from indexer.store import Store, StoredPractice

router = APIRouter(include_in_schema=False)
FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".json": "application/json",
}
COMPRESSIBLE = (".html", ".css", ".js", ".svg", ".json")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
VERSION_PREFIX = "v-"


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes | None
    etag: str
    content_type: str


class Assets:
    """The files of `frontend/`, read, versioned and compressed once, when the app starts:
    no request walks the folder or compresses a file (restart to serve edited files)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        digest = hashlib.sha256()
        self._files: dict[str, Asset] = {}
        for path in sorted(p for p in self.root.rglob("*") if p.is_file()):
            relative = path.relative_to(self.root)
            body = path.read_bytes()
            digest.update(str(relative).encode())
            digest.update(body)
            if path.suffix in CONTENT_TYPES and not any(p.startswith(".") for p in relative.parts):
                self._files[relative.as_posix()] = packed(body, path.suffix)
        self._version = VERSION_PREFIX + digest.hexdigest()[:12]
        self._shells: dict[tuple[str, str | None], Asset] = {}

    def version(self) -> str:
        return self._version

    def find(self, relative: str) -> Asset | None:
        """The asset at a URL path inside the folder: nothing else, never a dotfile."""
        return self._files.get(relative)

    def page(self, name: str, lang: str | None, head: str = "") -> Asset:
        """A shell with versioned asset addresses, `head` at the end of its `<head>` and,
        when asked, the French `lang`. Shells without a `head` of their own are built
        once per language."""
        key = (name, "fr" if lang == "fr" else None)
        if not head and key in self._shells:
            return self._shells[key]
        html = self._files[name].body.decode("utf-8")
        html = html.replace('"/static/', f'"/static/{self._version}/')
        html = html.replace("</head>", f"{head}</head>", 1)
        if key[1] == "fr":
            html = html.replace('<html lang="en">', '<html lang="fr">', 1)
        # A page with its own head is built per request: compressed fast rather than small.
        shell = packed(html.encode("utf-8"), ".html", level=6 if head else 9)
        if not head:
            self._shells[key] = shell
        return shell


def packed(body: bytes, suffix: str, level: int = 9) -> Asset:
    gzipped = gzip.compress(body, level, mtime=0) if suffix in COMPRESSIBLE else None
    return Asset(
        body=body,
        gzipped=gzipped if gzipped and len(gzipped) < len(body) else None,
        etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"',
        content_type=CONTENT_TYPES[suffix],
    )


ASSETS = Assets(FRONTEND)
AcceptEncoding = Annotated[str, Header()]
IfNoneMatch = Annotated[str, Header()]


def _respond(
    asset: Asset,
    cache_control: str,
    accept_encoding: str,
    if_none_match: str,
    status: int = 200,
) -> Response:
    headers = {
        "Cache-Control": cache_control,
        "ETag": asset.etag,
        "Vary": "Accept-Encoding",
    }
    if status == 200 and asset.etag in {tag.strip() for tag in if_none_match.split(",")}:
        return Response(status_code=304, headers=headers)
    body = asset.body
    if asset.gzipped is not None and "gzip" in accept_encoding.lower():
        body = asset.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, status_code=status, media_type=asset.content_type, headers=headers)


@router.api_route("/", methods=["GET", "HEAD"])
def read_search_page(
    request: Request, accept_encoding: AcceptEncoding = "", if_none_match: IfNoneMatch = ""
) -> Response:
    asset = ASSETS.page("index.html", request.query_params.get("lang"))
    return _respond(asset, REVALIDATE, accept_encoding, if_none_match)


def _shell(name: str) -> Callable[[Request, str, str], Response]:
    def read_page(
        request: Request, accept_encoding: AcceptEncoding = "", if_none_match: IfNoneMatch = ""
    ) -> Response:
        asset = ASSETS.page(name, request.query_params.get("lang"))
        return _respond(asset, REVALIDATE, accept_encoding, if_none_match)

    return read_page


# Contributors and moderators sign in on the page itself (a token, checked by the API).
router.add_api_route("/submit", _shell("submit.html"), methods=["GET", "HEAD"])
router.add_api_route("/moderate", _shell("moderate.html"), methods=["GET", "HEAD"])


# The community profile and weights are in the query string, so an assessment is a link.
router.add_api_route("/fit", _shell("fit.html"), methods=["GET", "HEAD"])


@router.api_route("/fit/{slug}", methods=["GET", "HEAD"])
def read_worksheet_page(
    slug: str,
    request: Request,
    store: StoreDep,
    accept_encoding: AcceptEncoding = "",
    if_none_match: IfNoneMatch = "",
) -> Response:
    """The one-practice worksheet; 404 and 410 as for the practice page."""
    asset = ASSETS.page("worksheet.html", request.query_params.get("lang"))
    return _respond(asset, REVALIDATE, accept_encoding, if_none_match, _status(store, slug))


@router.api_route("/practices/{slug}", methods=["GET", "HEAD"])
def read_practice_page(
    slug: str,
    request: Request,
    store: StoreDep,
    services: ServicesDep,
    accept_encoding: AcceptEncoding = "",
    if_none_match: IfNoneMatch = "",
) -> Response:
    """The practice shell; 404 for an unknown slug and 410 for a withdrawn one (with the
    same shell, which says so)."""
    stored = _find(store, slug)
    status = 404 if stored is None else 200 if stored.published else 410
    head = page_head(store, stored, services.settings) if status == 200 and stored else ""
    asset = ASSETS.page("practice.html", request.query_params.get("lang"), head)
    return _respond(asset, REVALIDATE, accept_encoding, if_none_match, status)


def _find(store: Store, slug: str) -> StoredPractice | None:
    return store.get(slug) if len(slug) <= MAX_SLUG_LENGTH and SLUG_PATTERN.match(slug) else None


def _status(store: Store, slug: str) -> int:
    """200 for a published practice, 404 for an unknown slug, 410 for a withdrawn one."""
    stored = _find(store, slug)
    return 404 if stored is None else 200 if stored.published else 410


@router.api_route("/static/{path:path}", methods=["GET", "HEAD"])
def read_static_asset(
    path: str, accept_encoding: AcceptEncoding = "", if_none_match: IfNoneMatch = ""
) -> Response:
    version, _, rest = path.partition("/")
    cache_control = REVALIDATE
    if version.startswith(VERSION_PREFIX) and rest:
        path = rest
        if version == ASSETS.version():
            cache_control = IMMUTABLE
    found = None if path.endswith(".html") else ASSETS.find(path)
    if found is None:
        return problem_response(404, "no such asset", headers={"Cache-Control": REVALIDATE})
    return _respond(found, cache_control, accept_encoding, if_none_match)
