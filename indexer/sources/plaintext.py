"""Scraped plain-text pages: the canonical input format.

A page saved from a browser looks like ``../shared/samples/kono-pompeo-amman.txt``: a
leftover ``print PRINT`` line, the title, a ``TOKYO —`` dateline opening the body, and the
site's navigation bullets at the end. Metadata may come from YAML-like front matter
(``---`` / ``key: value`` / ``---``) or a sidecar ``<name>.json`` beside the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from indexer.article import Article, Problem
from indexer.sources.dates import published_or_warning
from indexer.sources.metadata import split_authors
from indexer.sources.textfile import ReadError, read_text

_PRINT_LINE = re.compile(r"^\s*print(\s+print)?\s*$", re.IGNORECASE)
_NAV_BULLET = re.compile(r"^\s*[•·▪●◦]\s*")
# "TOKYO —", "WASHINGTON (Reuters) -", "BEIJING --", "SAN JUAN, Puerto Rico —"
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]{1,40}[A-Z.](?:,\s*[A-Z][\w.' ]{1,30})?)"
    r"(?:\s*\([^)]{1,40}\))?\s*(?:—|–|--|-)\s+"
)
_FRONT_MATTER = re.compile(r"\A---\s*\n(?P<meta>.*?)\n---\s*\n", re.DOTALL)


def split_dateline(paragraph: str) -> tuple[str, str]:
    """Split ``"TOKYO — The top..."`` into ``("TOKYO", "The top...")``."""
    m = _DATELINE.match(paragraph)
    if not m:
        return "", paragraph
    return m.group("place").strip(), paragraph[m.end():]


def _paragraphs(text: str) -> list[str]:
    paras = [re.sub(r"\s*\n\s*", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    return [p for p in paras if p]


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group("meta").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[m.end():]


def _sidecar(path: Path, rel: str) -> tuple[dict[str, object], list[Problem]]:
    """The metadata in ``<name>.json`` beside a page, and a warning if it cannot be used
    (the page is still indexed, but without the date or URL the sidecar held)."""
    side = path.with_suffix(".json")
    if not side.is_file():
        return {}, []
    where = PurePosixPath(rel).with_suffix(".json").as_posix()
    try:
        data = json.loads(side.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else f"not valid JSON ({exc})"
        return {}, [Problem(where, "bad-sidecar", f"{reason}; {rel} indexed without its "
                                                  "metadata", skipped=False)]
    if not isinstance(data, dict):
        return {}, [Problem(where, "bad-sidecar", f"not a JSON object; {rel} indexed "
                                                  "without its metadata", skipped=False)]
    return data, []


def parse_text(text: str, *, id: str, path: str = "", meta: dict[str, object] | None = None,
               source: str = "") -> Article:
    """Build an Article from the text of a scraped page (no I/O, so tests use it directly)."""
    front, text = _front_matter(text)
    meta = {**front, **(meta or {})}
    lines = text.splitlines()
    while lines and (not lines[0].strip() or _PRINT_LINE.match(lines[0])):
        lines.pop(0)
    while lines and (not lines[-1].strip() or _NAV_BULLET.match(lines[-1])):
        lines.pop()
    if not lines:
        raise ReadError("empty", "no text after removing page furniture")
    title = str(meta.get("title") or "").strip()
    if not title:
        title = lines.pop(0).strip()
    paras = _paragraphs("\n".join(lines))
    dateline = ""
    if paras:
        dateline, paras[0] = split_dateline(paras[0])
    published, warning = published_or_warning(
        meta.get("date") or meta.get("published") or meta.get("date_publish"))
    return Article(
        id=id, title=title, body="\n\n".join(paras), path=path,
        source=str(meta.get("source") or source or "web"),
        published=published,
        dateline=str(meta.get("dateline") or dateline), authors=split_authors(meta.get("authors") or meta.get("author") or ()),
        url=str(meta.get("url") or ""),
        extra={"warning": warning} if warning else {},
    )


def read_plaintext(path: Path, rel: str) -> Iterator[Article | Problem]:
    """Yield the one article in a plain-text page (with a Problem for an encoding fallback)."""
    text, problems = read_text(path, rel)
    meta, sidecar_problems = _sidecar(path, rel)
    yield from problems + sidecar_problems
    yield parse_text(text, id=rel, path=rel, meta=meta)
