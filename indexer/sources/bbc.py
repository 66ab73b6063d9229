"""The BBC News dataset layout: ``<category>/<NNN>.txt``, title on line 1, body after.

The files carry no date, author or URL; the folder name is the only label, kept as the
``category`` field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from indexer.article import Article, Problem
from indexer.sources.textfile import ReadError, read_text

CATEGORIES = frozenset({"business", "entertainment", "politics", "sport", "tech"})
_NAME = re.compile(r"^\d{3}\.txt$")


def is_bbc_file(path: Path) -> bool:
    """True for ``<category>/NNN.txt`` with a BBC category folder."""
    return path.parent.name in CATEGORIES and bool(_NAME.match(path.name))


def read_bbc(path: Path, rel: str) -> Iterator[Article | Problem]:
    """Yield the article in one BBC file (warning on the known latin-1 byte, not skipping)."""
    text, problems = read_text(path, rel)
    yield from problems
    title, _, body = text.strip().partition("\n")
    if not title.strip():
        raise ReadError("empty", "no title line")
    paras = [re.sub(r"\s*\n\s*", " ", p).strip() for p in re.split(r"\n\s*\n", body)]
    category = path.parent.name
    yield Article(
        id=f"bbc-{category}-{path.stem}", title=title.strip(),
        body="\n\n".join(p for p in paras if p), source="bbc", path=rel, category=category,
    )
