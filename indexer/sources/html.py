"""HTML news pages through trafilatura, a maintained main-text extractor.

Hand-written scraping breaks on every site redesign; trafilatura finds the article body,
title, date and byline across sites and is what the design notes ask for.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import trafilatura

from indexer.article import Article, Problem
from indexer.sources.dates import published_or_warning
from indexer.sources.metadata import split_authors
from indexer.sources.textfile import ReadError, read_text


def parse_html(html: str, *, id: str, path: str) -> Article:
    """Extract the article from one page; ReadError when the page holds no article text."""
    if "<body" not in html[:100_000].lower():
        # A saved fragment (e.g. a reader-mode export) has no <body>; trafilatura then
        # finds nothing, so give it the document shell it expects.
        html = f"<html><body>{html}</body></html>"
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          favor_precision=True)
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        raise ReadError("malformed", f"HTML could not be parsed ({type(exc).__name__})") from None
    if doc is None:
        raise ReadError("no-text", "no article text found in the page")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = (data.get("text") or "").strip()
    title = (data.get("title") or "").strip()
    if not body and not title:
        raise ReadError("no-text", "no article text found in the page")
    published, warning = published_or_warning(data.get("date"))
    url = data.get("url") or ""
    author = data.get("author") or ""
    return Article(
        id=id, title=title, body=body, path=path, published=published, url=url,
        source=data.get("sitename") or data.get("hostname") or urlparse(url).hostname or "web",
        authors=split_authors(author),
        extra={"warning": warning} if warning else {},
    )


def read_html(path: Path, rel: str) -> Iterator[Article | Problem]:
    """Yield the article of one ``.html``/``.htm`` page, gzipped or not."""
    text, problems = read_text(path, rel)
    yield from problems
    yield parse_html(text, id=rel, path=rel)
