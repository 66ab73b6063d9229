"""Response headers that keep a hostile article or query from running script or framing us.

All JavaScript lives in static files, so the Content-Security-Policy can forbid inline
script and style entirely; even a highlighting bug could then not execute injected code.
``HEADERS`` is the one declaration: :class:`SecurityHeaders` puts it on every response
the app sends (pages, API, static files, error pages, whatever view or handler made
them), and :mod:`webapp.server` on the error responses waitress writes itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Flask

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def with_security_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``headers`` plus each of HEADERS that it does not set already."""
    present = {name.lower() for name, _ in headers}
    return headers + [(name, value) for name, value in HEADERS.items()
                      if name.lower() not in present]


class SecurityHeaders:
    """WSGI middleware: HEADERS on every response of the wrapped app.

    At the WSGI layer rather than in an ``after_request`` hook, so that no response
    escapes it, not even one made while Flask handles a failure of its own.
    """

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info=None):  # noqa: ANN001
            return start_response(status, with_security_headers(headers), exc_info)

        return self.app(environ, start)


def register(app: Flask) -> None:
    app.wsgi_app = SecurityHeaders(app.wsgi_app)
