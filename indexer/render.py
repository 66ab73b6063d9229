"""Turning search results into terminal text, JSON, CSV and NDJSON.

Shared by every command that prints hits, so ``search`` and ``related`` print the same
formats the same way.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap

import click

from indexer.search.highlight import Span
from indexer.search.model import FACET_LABELS, Hit, SearchResult
from indexer.search.relaxed import RELAXED_NOTE

OUTPUT_FORMATS = ("table", "json", "csv", "ndjson")
CSV_COLUMNS = ("id", "title", "published", "source", "people", "organizations", "countries",
               "about", "score", "url")
# Terminal control sequences an article could carry: CSI (ESC [ ... or the 8-bit CSI:
# clear screen, move the cursor, recolour), the string commands OSC/DCS/APC/PM/SOS up to
# their BEL or ST terminator (OSC 0 retitles the window, OSC 52 writes the clipboard),
# and any other two-byte escape. An unterminated string command loses only its opener.
_ESCAPE = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
                     r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
                     r"|\x1b[ -~]?")
# What is left of C0 and C1 after that, with DEL; newline and tab lay text out.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1 = re.compile(r"[\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` from an article with every terminal control sequence and control
    character removed (newline and tab kept), so that printing a hostile title, file
    name or body cannot clear the screen, retitle the window or fake other output.
    Every CLI output of article data goes through here (json_text escapes instead)."""
    return _CONTROL.sub("", _ESCAPE.sub("", text))


def json_text(data: object) -> str:
    """``data`` as one line of JSON for a terminal: the text kept exact, but DEL and the
    C1 controls (which json leaves raw; U+009B is a CSI to some terminals) written as
    ``\\u`` escapes, as json already writes the C0 controls."""
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}",
                   json.dumps(data, ensure_ascii=False))


def marked_text(text: str, spans: list[Span], color: bool) -> str:
    """``text`` for a terminal with its spans in colour (or plain when ``color`` is
    false). The text is cut at the spans first and each piece is made terminal-safe
    after, because stripping controls first would shift the offsets off the words."""
    out, pos = [], 0
    for start, end in spans:
        out.append(terminal_safe(text[pos:start]))
        word = terminal_safe(text[start:end])
        out.append(click.style(word, fg="yellow", bold=True) if color and word else word)
        pos = end
    out.append(terminal_safe(text[pos:]))
    return "".join(out)


def csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas (=, +, -, @ at the start of a cell)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def hit_row(hit: Hit) -> dict[str, str]:
    """One hit as flat strings for CSV."""
    data = hit.to_json()
    return {col: csv_safe(terminal_safe("; ".join(data[col]) if isinstance(data[col], list)
                                        else "" if data[col] is None else str(data[col])))
            for col in CSV_COLUMNS}


def hits_csv(hits: list[Hit]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for hit in hits:
        writer.writerow(hit_row(hit))
    return buf.getvalue()


def hits_ndjson(hits: list[Hit]) -> str:
    """One JSON object per line per hit."""
    return "".join(json_text(h.to_json()) + "\n" for h in hits)


def hits_text(hits: list[Hit], color: bool, start: int = 1, width: int = 100) -> str:
    """A readable numbered list: title, date/source/entities line, wrapped snippet."""
    lines: list[str] = []
    for n, hit in enumerate(hits, start=start):
        if hit.relaxed and (n == start or not hits[n - start - 1].relaxed):
            lines.extend([RELAXED_NOTE, ""])
        title = marked_text(hit.title, hit.title_spans, color)
        lines.append(f"{n:>3}. {click.style(title, bold=True) if color else title}")
        meta = [hit.published.date().isoformat() if hit.published else "undated", hit.source,
                hit.id]
        if hit.similar:
            meta.append(f"{hit.similar} similar")
        lines.append("     " + terminal_safe(" · ".join(meta)))
        entities = ", ".join(hit.people[:5] + hit.countries[:5])
        if hit.about:  # a subset of the countries, so never alone on the line
            entities += f" · mainly about {', '.join(hit.about[:5])}"
        if entities:
            lines.append("     " + terminal_safe(entities))
        snippet = marked_text(hit.snippet, hit.snippet_spans, color).replace("\n", " ")
        lines.extend(textwrap.wrap(snippet, width=width, initial_indent="     ",
                                   subsequent_indent="     ") if not color
                     else ["     " + snippet])
        lines.append("")
    return "\n".join(lines)


def result_text(result: SearchResult, color: bool, facets: bool) -> str:
    """The whole result for a terminal: summary line, hits, optional facet counts."""
    first = (result.page - 1) * result.limit + 1
    noun = "article matches" if result.total == 1 else "articles match"
    stories = "" if result.stories in (None, result.total) else f", {result.stories:,} stories"
    out = [f"{result.total:,} {noun} {result.query!r} "
           f"(page {result.page} of {result.pages}{stories}, {result.took_ms:.0f} ms)"]
    if result.suggestion:
        out.append(f"Did you mean: {terminal_safe(result.suggestion)}")
    out.append("")
    out.append(hits_text(result.hits, color, start=first))
    if facets:
        for name, values in result.facets.items():
            out.append(f"{FACET_LABELS[name]}:")
            out.extend(f"  {v.count:>6}  {terminal_safe(v.value)}" for v in values)
        out.append(f"Dates (by {result.dates.interval}):")
        out.extend(f"  {b.count:>6}  {b.value}" for b in result.dates.buckets if b.count)
    return "\n".join(out).rstrip() + "\n"


def result_output(result: SearchResult, fmt: str, color: bool, facets: bool) -> str:
    """Render a SearchResult in one of OUTPUT_FORMATS."""
    if fmt == "json":
        return json_text(result.to_json()) + "\n"
    if fmt == "ndjson":
        return hits_ndjson(result.hits)
    if fmt == "csv":
        return hits_csv(result.hits)
    return result_text(result, color, facets)
