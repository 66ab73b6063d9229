"""The ``newsearch`` command: a thin shell over the indexer and the search API.

Exit codes: 0 success (search: results found), 1 no results / some input skipped,
2 usage or query syntax error, 3 index missing, unreadable or busy.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from indexer.render import OUTPUT_FORMATS, hits_csv, hits_text, marked_to_terminal, result_output
from indexer.search.model import FACET_LABELS, FACETS, MAX_LIMIT, QueryError, SearchRequest
from indexer.sources import FORMATS
from indexer.store import ENV_VAR, IndexMissing, resolve

EXIT_NO_RESULTS = 1
EXIT_USAGE = 2
EXIT_INDEX = 3

index_option = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
    help=f"Index folder (default: ${ENV_VAR} or the per-user data folder).")


def _fail(message: str, code: int) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def _engine(index_dir: Path | None):
    from indexer.search.engine import SearchEngine
    try:
        return SearchEngine(resolve(index_dir))
    except IndexMissing as exc:
        _fail(str(exc), EXIT_INDEX)


class _IsoDate(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):  # noqa: ANN001 - click's signature
        if isinstance(value, date):
            return value
        text = str(value).strip()
        try:
            if len(text) == 4:
                return date(int(text), 1, 1)
            if len(text) == 7:
                return date(int(text[:4]), int(text[5:7]), 1)
            return date.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a date like 2018-05-31, 2018-05 or 2018", param, ctx)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsearch")
def main() -> None:
    """newsearch: full-text search for news archives, with people, country and date facets."""


@main.command("index")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@index_option
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Read every file with this reader instead of detecting the format.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes for reading, extraction and indexing.")
@click.option("--rebuild", is_flag=True, help="Start a fresh index instead of updating.")
@click.option("--wait", type=click.FloatRange(0), default=0.0,
              help="Seconds to wait for another indexer to finish (default: fail at once).")
@click.option("--problems", "show_problems", type=click.IntRange(0), default=20,
              show_default=True, help="How many problems to list (all are counted).")
def index_cmd(paths: tuple[Path, ...], index_dir: Path | None, fmt: str | None, workers: int,
              rebuild: bool, wait: float, show_problems: int) -> None:
    """Index articles from folders or files (incremental: only changes are rewritten).

    Formats are detected per file: Reuters-21578 .sgm, the BBC <category>/NNN.txt layout,
    .json/.jsonl (news-please), .html/.htm (also .gz) and plain-text pages (.txt).
    """
    from indexer.build import IndexBusy, build_index
    from indexer.progress import FileProgress

    target = resolve(index_dir)
    try:
        with FileProgress() as progress:
            report = build_index(list(paths), target, fmt=fmt, workers=workers,
                                 rebuild=rebuild, wait=wait, on_file=progress.advance,
                                 on_start=progress.start)
    except IndexBusy as exc:
        _fail(str(exc), EXIT_INDEX)
    except IndexMissing as exc:
        _fail(str(exc), EXIT_INDEX)
    except KeyboardInterrupt:
        _fail("interrupted; the index is unchanged", 130)
    for problem in report.problems[:show_problems]:
        label = "warning" if not problem.skipped else "skipped"
        click.echo(f"{label}: {problem}", err=True)
    if len(report.problems) > show_problems:
        click.echo(f"... and {len(report.problems) - show_problems} more problems "
                   f"(--problems N to list them)", err=True)
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(report.problem_kinds.items())) or "none"
    click.echo(
        f"Indexed {report.files:,} files into {target}: {report.added:,} added, "
        f"{report.updated:,} updated, {report.removed:,} removed, "
        f"{report.unchanged:,} unchanged; {report.documents:,} documents in the index.\n"
        f"Problems: {len(report.skipped):,} skipped, "
        f"{len(report.problems) - len(report.skipped):,} warnings ({kinds}). "
        f"{report.elapsed:.1f} s, {report.articles_per_second:,.0f} articles/s.")
    sys.exit(EXIT_NO_RESULTS if report.skipped else 0)


@main.command("optimize")
@index_option
def optimize_cmd(index_dir: Path | None) -> None:
    """Merge the index's segments into one (faster searches after many updates)."""
    from indexer.build import IndexBusy, optimize_index

    target = resolve(index_dir)
    try:
        before, after = optimize_index(target)
    except IndexBusy as exc:
        _fail(str(exc), EXIT_INDEX)
    except IndexMissing as exc:
        _fail(str(exc), EXIT_INDEX)
    click.echo(f"Optimized {target}: {before} segments merged into {after}.")


@main.command("stats")
@index_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
def stats_cmd(index_dir: Path | None, fmt: str, limit: int) -> None:
    """Document count, date span and the most frequent values of every facet."""
    stats = _engine(index_dir).stats(limit)
    if fmt == "json":
        click.echo(json.dumps(stats, ensure_ascii=False))
        return
    click.echo(f"Index:     {stats['index']}\nDocuments: {stats['documents']:,} "
               f"({stats['with_date']:,} dated)\nDates:     {stats['first']} to {stats['last']}")
    for facet in FACETS:
        click.echo(f"{FACET_LABELS[facet]} (top {limit}):")
        for item in stats[facet]:
            click.echo(f"  {item['count']:>7,}  {item['value']}")


@main.command("search")
@click.argument("query", default="")
@index_option
@click.option("--person", multiple=True, help="Only articles naming this person (repeatable: OR).")
@click.option("--country", multiple=True,
              help="Only articles mentioning this country (repeatable: OR).")
@click.option("--about", multiple=True, help="Only articles mainly about this country "
              "(its dateline, headline or lead, or named twice; repeatable: OR).")
@click.option("--source", multiple=True, help="Only articles from this source (repeatable: OR).")
@click.option("--exclude-person", multiple=True, help="Leave out articles naming this person.")
@click.option("--exclude-country", multiple=True,
              help="Leave out articles mentioning this country.")
@click.option("--exclude-about", multiple=True,
              help="Leave out articles mainly about this country.")
@click.option("--exclude-source", multiple=True, help="Leave out articles from this source.")
@click.option("--from", "date_from", type=_IsoDate(), help="Published on or after (2018-05-01).")
@click.option("--to", "date_to", type=_IsoDate(), help="Published on or before (2018-05-31).")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]),
              default="relevance", show_default=True)
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--limit", type=int, default=10, show_default=True,
              help=f"Hits per page (at most {MAX_LIMIT}).")
@click.option("--facets", is_flag=True, help="Show facet counts below the hits.")
@click.option("--all-copies", is_flag=True, help="Show every copy of near-duplicate stories.")
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table",
              show_default=True)
def search_cmd(query: str, index_dir: Path | None, person: tuple[str, ...],
               country: tuple[str, ...], about: tuple[str, ...], source: tuple[str, ...],
               exclude_person: tuple[str, ...], exclude_country: tuple[str, ...],
               exclude_about: tuple[str, ...], exclude_source: tuple[str, ...], date_from: date | None, date_to: date | None,
               sort: str, page: int, limit: int, facets: bool, all_copies: bool,
               fmt: str) -> None:
    """Search the index. QUERY uses words (AND), OR, NOT/-word, "phrases", "a b"~3,
    wild*, fuzzy~, (groups), title:/person:/country:/about:/source: and date:2018-05 or
    date:[2018-04-01 to 2018-05-31]. See docs/query-syntax.md."""
    try:
        request = SearchRequest(
            query=query, people=person, countries=country, about=about, sources=source,
            exclude_people=exclude_person, exclude_countries=exclude_country,
            exclude_about=exclude_about, exclude_sources=exclude_source, date_from=date_from, date_to=date_to,
            sort=sort, page=page, limit=limit, fold_duplicates=not all_copies)
        engine = _engine(index_dir)
        result = engine.search(request)
    except QueryError as exc:
        _fail(str(exc), EXIT_USAGE)
    color = fmt == "table" and sys.stdout.isatty()
    click.echo(result_output(result, fmt, color, facets), nl=False)
    sys.exit(0 if result.total else EXIT_NO_RESULTS)


@main.command("show")
@click.argument("article_id")
@index_option
@click.option("--query", default="", help="Highlight these query terms in the text.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def show_cmd(article_id: str, index_dir: Path | None, query: str, fmt: str) -> None:
    """Print one article with its people, countries (mentioned and mainly about) and dates."""
    engine = _engine(index_dir)
    article = engine.article(article_id)
    if article is None:
        _fail(f"no article with id {article_id!r}", EXIT_NO_RESULTS)
    if fmt == "json":
        click.echo(json.dumps(article.to_json(), ensure_ascii=False))
        return
    color = sys.stdout.isatty()
    try:
        title_html, body_html = engine.highlight_article(article, query)
    except QueryError as exc:  # the checks of a search: same refusals, same messages
        _fail(str(exc), EXIT_USAGE)
    click.echo(click.style(marked_to_terminal(title_html, color), bold=color))
    meta = [article.published.isoformat(sep=" ") if article.published else "undated",
            article.source, article.dateline, article.url, article.id]
    click.echo(" · ".join(m for m in meta if m))
    for label, values in (("People", article.people), ("Countries", article.countries),
                          ("Mainly about", article.about), ("Dates mentioned", article.mentioned),
                          ("Authors", article.authors)):
        if values:
            click.echo(f"{label}: {', '.join(values)}")
    click.echo("")
    click.echo(marked_to_terminal(body_html, color))


@main.command("related")
@click.argument("article_id")
@index_option
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=10, show_default=True)
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table",
              show_default=True)
def related_cmd(article_id: str, index_dir: Path | None, limit: int, fmt: str) -> None:
    """Articles most like ARTICLE_ID (copies of the same story left out)."""
    engine = _engine(index_dir)
    try:
        hits = engine.related(article_id, limit)
    except KeyError:
        _fail(f"no article with id {article_id!r}", EXIT_NO_RESULTS)
    if fmt == "json":
        click.echo(json.dumps({"id": article_id, "hits": [h.to_json() for h in hits]},
                              ensure_ascii=False))
    elif fmt == "ndjson":
        click.echo("".join(json.dumps(h.to_json(), ensure_ascii=False) + "\n" for h in hits),
                   nl=False)
    elif fmt == "csv":
        click.echo(hits_csv(hits), nl=False)
    else:
        click.echo(hits_text(hits, sys.stdout.isatty()), nl=False)
    sys.exit(0 if hits else EXIT_NO_RESULTS)


@main.command("serve")
@index_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the default accepts local connections only).")
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option("--dev", is_flag=True, help="Use Flask's reloading development server.")
def serve_cmd(index_dir: Path | None, host: str, port: int, threads: int, dev: bool) -> None:
    """Serve the search page and JSON API (waitress, a production WSGI server)."""
    from webapp import create_app

    target = resolve(index_dir)
    try:
        app = create_app({"INDEX_DIR": str(target)})
    except IndexMissing as exc:
        _fail(str(exc), EXIT_INDEX)
    app.extensions["newsearch.engine"].warm()
    click.echo(f"Serving {target} on http://{host}:{port}/  (Ctrl-C to stop)")
    if dev:
        app.run(host=host, port=port, debug=True)
        return
    import waitress
    waitress.serve(app, host=host, port=port, threads=threads, ident="newsearch")
