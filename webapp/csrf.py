"""Cross-site request forgery protection for the forms that change something (saving,
opening and removing a saved search): a signed double-submit token.

Every page with such a form puts the same token in a hidden field and in the cookie
``newsearch_csrf`` (HttpOnly, ``SameSite=Strict``, so a browser never sends it with a
request another site started). A POST is accepted only if the field equals the cookie
and carries this index's signature: another site can neither read the token nor make a
browser send the cookie, and a cookie planted from a sibling domain fails the signature.

The signing key is the saved-search store's secret (``SavedStore.secret``), kept beside
the saved searches, so every process and thread of ``newsearch serve`` checks tokens the
others issued, and a restart does not invalidate open pages.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import Forbidden

COOKIE = "newsearch_csrf"
FIELD = "csrf"
FORBIDDEN = ("This form did not come from this site or has expired (its security token "
             "is missing or wrong), so nothing was changed. Reload the page and try again.")


def _sign(nonce: str, key: bytes) -> str:
    return hmac.new(key, nonce.encode("ascii"), hashlib.sha256).hexdigest()


def _valid(token: str, key: bytes) -> bool:
    nonce, _, signature = token.partition(".")
    return bool(nonce) and nonce.isalnum() and hmac.compare_digest(signature,
                                                                   _sign(nonce, key))


def _key() -> bytes:
    from webapp.saved import current_store

    return current_store().secret()


def csrf_token() -> str:
    """The token for this page's forms (the cookie's, or a new one set on the response)."""
    if "csrf_token" not in g:
        key = _key()
        token = request.cookies.get(COOKIE, "")
        if not _valid(token, key):
            nonce = secrets.token_hex(16)
            token = f"{nonce}.{_sign(nonce, key)}"
            g.csrf_new = True
        g.csrf_token = token
    return g.csrf_token


def save_token() -> str:
    """The token for the search page's "Save search" form, or "" when the saved-search
    store cannot be opened (e.g. an index on read-only storage): the search page must
    render anyway, without the form."""
    try:
        return csrf_token()
    except Exception:  # noqa: BLE001 - logged; searching does not depend on it
        current_app.logger.exception("saved searches unavailable")
        return ""


def check() -> None:
    """Refuse (403) a POST whose form token is missing, differs from the cookie, or is
    not signed with this index's key."""
    sent = request.form.get(FIELD, "")
    cookie = request.cookies.get(COOKIE, "")
    if not sent or not hmac.compare_digest(sent, cookie) or not _valid(sent, _key()):
        raise Forbidden(FORBIDDEN)


def _set_cookie(response: Response) -> Response:
    if g.get("csrf_new"):
        response.set_cookie(COOKIE, g.csrf_token, httponly=True, samesite="Strict",
                            secure=request.is_secure, path="/")
    return response


def register(app: Flask) -> None:
    app.jinja_env.globals.update(csrf_token=csrf_token, save_token=save_token, csrf_field=FIELD)
    app.after_request(_set_cookie)
