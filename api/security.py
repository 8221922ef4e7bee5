"""The security headers of every response (API, errors, pages), and CORS when configured.

One header set, written once: a middleware adds it to every response that does not set a
header itself. CORS stays closed (no `Access-Control-Allow-Origin` at all) unless
`LIPKB_CORS_ORIGINS` names the origins allowed to call the API from a browser.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
CORS_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key"]
# Only behind TLS (an https public address): over plain HTTP a browser ignores it, and
# sending it from a test instance would pin its host name to HTTPS for a year.
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP response."""

    def __init__(self, app: ASGIApp, behind_tls: bool = False) -> None:
        self.app = app
        self.headers = {
            **SECURITY_HEADERS,
            **({"Strict-Transport-Security": HSTS} if behind_tls else {}),
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI, cors_origins: tuple[str, ...], public_url: str) -> None:
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "HEAD", "POST", "DELETE"],
            allow_headers=CORS_HEADERS,
            max_age=600,
        )
    app.add_middleware(SecurityHeaders, behind_tls=public_url.startswith("https://"))
