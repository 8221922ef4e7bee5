"""`/docs` (Swagger UI) and `/redoc` with their scripts and styles served by us, so that they
work with no network and under a policy that names no other host.

The assets come from the `fastapi-offline` package; the pages are FastAPI's own, pointed at
them. Their one inline script is allowed by its hash, not by `'unsafe-inline'`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"
ASSET_FOLDER = Path(fastapi_offline.__file__).resolve().parent / "static"
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def policy(html: str) -> str:
    """The page's Content-Security-Policy: our scripts and its inline ones by hash. The
    viewers set styles at run time, and Redoc parses the description in a blob: worker."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; worker-src blob:; connect-src 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'"
    )


def serve(app: FastAPI, path: str, page: HTMLResponse) -> None:
    """A page built once, with its policy, at `path`."""
    html = bytes(page.body).decode()
    headers = {"Content-Security-Policy": policy(html)}

    @app.get(path, include_in_schema=False)
    def read_page() -> HTMLResponse:
        return HTMLResponse(html, headers=headers)


def install(app: FastAPI) -> None:
    """For an app made with `docs_url=None, redoc_url=None`."""
    app.mount(ASSETS, StaticFiles(directory=ASSET_FOLDER), name="docs-assets")
    title = f"{app.title} — API"
    swagger = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title=title,
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS}/favicon.png",
    )
    redoc = get_redoc_html(
        openapi_url="/openapi.json",
        title=title,
        redoc_js_url=f"{ASSETS}/redoc.standalone.js",
        redoc_favicon_url=f"{ASSETS}/favicon.png",
        with_google_fonts=False,
    )
    serve(app, "/docs", swagger)
    serve(app, "/redoc", redoc)
