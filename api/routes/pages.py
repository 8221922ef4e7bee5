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
    """The files of `frontend/`, read once and re-read when one changes on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._signature: tuple[tuple[str, int, int], ...] = ()
        self._version = ""
        self._cache: dict[str, tuple[int, Asset]] = {}

    def version(self) -> str:
        files = sorted(p for p in self.root.rglob("*") if p.is_file())
        signature = tuple(
            (str(p.relative_to(self.root)), p.stat().st_mtime_ns, p.stat().st_size) for p in files
        )
        if signature != self._signature:
            digest = hashlib.sha256()
            for path in files:
                digest.update(str(path.relative_to(self.root)).encode())
                digest.update(path.read_bytes())
            self._signature, self._version = signature, VERSION_PREFIX + digest.hexdigest()[:12]
        return self._version

    def find(self, relative: str) -> Path | None:
        """The file at a URL path inside the folder; never outside it, never a dotfile."""
        parts = relative.split("/")
        if not relative or any(not p or p.startswith(".") or "\\" in p for p in parts):
            return None
        try:
            path = (self.root / relative).resolve()
            if not path.is_relative_to(self.root) or not path.is_file():
                return None
        except (OSError, ValueError):  # a name too long for the file system, a null byte
            return None
        if path.suffix not in CONTENT_TYPES:
            return None
        return path

    def load(self, path: Path, transform: bytes | None = None) -> Asset:
        key = str(path)
        mtime = path.stat().st_mtime_ns
        cached = self._cache.get(key)
        if cached and cached[0] == mtime and transform is None:
            return cached[1]
        body = transform if transform is not None else path.read_bytes()
        gzipped = gzip.compress(body, 9, mtime=0) if path.suffix in COMPRESSIBLE else None
        asset = Asset(
            body=body,
            gzipped=gzipped if gzipped and len(gzipped) < len(body) else None,
            etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"',
            content_type=CONTENT_TYPES[path.suffix],
        )
        if transform is None:
            self._cache[key] = (mtime, asset)
        return asset

    def page(self, name: str, lang: str | None, head: str = "") -> Asset:
        """A shell with versioned asset addresses, `head` at the end of its `<head>` and,
        when asked, the French `lang`."""
        path = self.root / name
        version = self.version()
        html = path.read_text(encoding="utf-8").replace('"/static/', f'"/static/{version}/')
        html = html.replace("</head>", f"{head}</head>", 1)
        if lang == "fr":
            html = html.replace('<html lang="en">', '<html lang="fr">', 1)
        return self.load(path, html.encode("utf-8"))


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
    found = ASSETS.find(path)
    if found is None or found.suffix == ".html":
        return problem_response(404, "no such asset", headers={"Cache-Control": REVALIDATE})
    return _respond(ASSETS.load(found), cache_control, accept_encoding, if_none_match)
