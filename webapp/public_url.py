"""The address at which people reach the site, for the few links that must be absolute.

An Atom feed needs absolute links, and the Host header of a request is whatever the
client sent: building links from it would let anyone make the feed point elsewhere
(``Host: evil.example``). So the links come from ``PUBLIC_URL`` in the app config
(``newsearch serve --public-url``), which defaults to the address being served.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request, url_for

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000


def served_url(host: str, port: int) -> str:
    """``http://host:port/``, the URL of the address ``newsearch serve`` listens on."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def checked_public_url(url: str) -> str:
    """``url`` with a trailing slash, or ValueError saying what a public URL must be."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the public URL {url!r} is not an http:// or https:// URL with a "
                         "host name")
    if parts.query or parts.fragment:
        raise ValueError(f"the public URL {url!r} must not have a query (?) or fragment (#)")
    return parts._replace(path=parts.path.rstrip("/") + "/").geturl()


def absolute_url(endpoint: str, **values: object) -> str:
    """The public, absolute URL of a view: ``PUBLIC_URL`` plus the view's path in the app."""
    path = url_for(endpoint, **values)[len(request.script_root):]
    return current_app.config["PUBLIC_URL"] + path.lstrip("/")
