"""Reuters-21578 SGML: 22 files of up to 1,000 ``<REUTERS>`` records each.

SGML, not XML (control characters as ``&#5;``, no root element), so records are cut out
with regular expressions. PLACES and PEOPLE are editor-assigned gold labels: they are kept
as ``gold_places``/``gold_people`` for evaluation and never used as facets.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from indexer.article import Article, Problem
from indexer.sources.metadata import split_authors
from indexer.sources.textfile import read_bytes

_RECORD = re.compile(r"<REUTERS\b(?P<attrs>[^>]*)>(?P<inner>.*?)(?:</REUTERS>|(?=<REUTERS\b)|\Z)",
                     re.DOTALL)
_NEWID = re.compile(r'NEWID="(\d+)"')
_DATE = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})\s+(\d{1,3}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?")
_MONTHS = {m: i for i, m in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), start=1)}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PLACEHOLDER_BODY = re.compile(r"^\s*blah blah blah\.?\s*$", re.IGNORECASE)


def _tag(inner: str, name: str) -> str | None:
    m = re.search(rf"<{name}\b[^>]*>(.*?)</{name}>", inner, re.DOTALL)
    return m.group(1) if m else None


def _clean(text: str) -> str:
    """Unescape SGML entities, drop control characters and the ``******`` flash markers."""
    text = _CONTROL.sub("", html.unescape(text))
    return text.replace("******", "").strip()


def _reflow(body: str) -> str:
    """Reuters wraps at 70 columns and starts paragraphs with an indent: rebuild paragraphs."""
    paras = re.split(r"\n(?=\s{2,}\S)|\n\s*\n", body)
    return "\n\n".join(re.sub(r"\s*\n\s*", " ", p).strip() for p in paras if p.strip())


def _codes(inner: str, name: str) -> tuple[str, ...]:
    block = _tag(inner, name) or ""
    return tuple(d.strip() for d in re.findall(r"<D>(.*?)</D>", block) if d.strip())


_DATELINE_DATE = re.compile(r",?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*-?\s*$")


def clean_dateline(raw: str) -> str:
    """``"SAN MATEO, Calif., March 4 - "`` -> ``"San Mateo, Calif."``.

    The date is dropped (the DATE tag is exact) but the state or province stays: it is
    what tells San Mateo, California from San Mateo in the Philippines.
    """
    text = _DATELINE_DATE.sub("", raw.strip().rstrip(" -")).strip(" ,")
    city, sep, rest = text.partition(",")
    return f"{city.strip().title()}{sep}{rest}" if city else ""


def parse_date(raw: str) -> tuple[datetime | None, str | None]:
    """Parse ``26-FEB-1987 15:01:01.79``; returns (date, warning).

    Trailing junk after a well-formed date is ignored; an impossible time keeps the
    day and is reported; an unreadable date gives None and is reported.
    """
    m = _DATE.search(raw)
    if not m:
        return None, f"malformed DATE {raw.strip()[:40]!r}"
    day, mon, year, hh, mm, ss, frac = m.groups()
    month = _MONTHS.get(mon.upper())
    if month is None:
        return None, f"malformed DATE {raw.strip()[:40]!r}: unknown month"
    micro = int((frac or "0").ljust(6, "0"))
    try:
        return datetime(int(year), month, int(day), int(hh), int(mm), int(ss), micro), None
    except ValueError:
        try:
            kept = datetime(int(year), month, int(day))
        except ValueError:
            return None, f"malformed DATE {raw.strip()[:40]!r}"
        return kept, f"malformed time in DATE {raw.strip()[:40]!r}; kept the day only"


def parse_record(attrs: str, inner: str, rel: str) -> Article | Problem:
    """One ``<REUTERS>`` record to an Article (or a Problem if it has no id or no text)."""
    m = _NEWID.search(attrs)
    if not m:
        return Problem(rel, "malformed", "REUTERS record without NEWID")
    newid = m.group(1)
    where = f"{rel}#NEWID={newid}"
    text_block = _tag(inner, "TEXT")
    if text_block is None:
        m_open = re.search(r"<TEXT\b[^>]*>(.*)", inner, re.DOTALL)
        if not m_open:
            return Problem(where, "no-text", "record has no TEXT element")
        text_block = m_open.group(1)  # truncated record: keep what is there
    title = _clean(_tag(text_block, "TITLE") or "")
    body_raw = _tag(text_block, "BODY")
    dateline = clean_dateline(_clean(_tag(text_block, "DATELINE") or ""))
    if body_raw is None and not title:
        # TYPE="UNPROC": unmarked text; its first line serves as the title.
        raw = _clean(re.sub(r"<[^>]+>", " ", text_block))
        first, _, rest = raw.partition("\n")
        title, body_raw = first.strip(), rest
    body = _clean(body_raw or "")
    if _PLACEHOLDER_BODY.match(body):
        body = ""
    if not title and not body:
        return Problem(where, "no-text", "record has neither title nor body")
    published, warning = parse_date(_tag(inner, "DATE") or "")
    # "By Jane Doe, Reuters" names the author, then the agency.
    authors = split_authors(_clean(_tag(text_block, "AUTHOR") or ""))[:1]
    return Article(
        id=f"reuters-{newid}", title=title, body=_reflow(body), source="reuters", path=where,
        published=published, dateline=dateline,
        authors=authors, category=",".join(_codes(inner, "TOPICS")),
        gold_places=_codes(inner, "PLACES"), gold_people=_codes(inner, "PEOPLE"),
        extra={"warning": warning} if warning else {},
    )


def read_reuters(path: Path, rel: str) -> Iterator[Article | Problem]:
    """Yield every record of one ``reut2-NNN.sgm`` file.

    Read as latin-1: the collection is ASCII but for one stray 0xFC byte, and latin-1
    never fails, so no record is lost to a decoding error.
    """
    text = read_bytes(path).decode("latin-1")
    found = False
    for m in _RECORD.finditer(text):
        found = True
        yield parse_record(m.group("attrs"), m.group("inner"), rel)
    if not found:
        yield Problem(rel, "malformed", "no <REUTERS> records found")
