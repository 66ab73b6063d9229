"""The ``newsearch`` command: a thin shell over the indexer and the search API.

Exit codes: 0 success (search: results found), 1 no results / some input skipped,
2 usage or query syntax error, 3 index missing, damaged, not an index folder, busy, or
not writable (disk full), or its server unreachable (serve: the address cannot be listened
on).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click

from indexer.insights.bursts import bursts_table, search_bursts
from indexer.insights.compare import MAX_SERIES, compare
from indexer.render import (
    OUTPUT_FORMATS,
    hits_csv,
    hits_ndjson,
    hits_text,
    json_text,
    marked_text,
    result_output,
    terminal_safe,
)
from indexer.search.dates import parse_date
from indexer.search.engine import ENV_VAR, open_engine, resolve
from indexer.search.errors import EngineUnavailable, IndexBusy, IndexMissing, IndexWriteFailed
from indexer.search.facets import REGISTRY
from indexer.search.histogram import INTERVALS
from indexer.search.model import (
    FACET_LABELS,
    FACETS,
    MAX_LIMIT,
    SORTS,
    QueryError,
    SearchRequest,
)
from indexer.sources import FORMATS
from webapp.public_url import DEFAULT_HOST, DEFAULT_PORT, checked_public_url, served_url

EXIT_NO_RESULTS = 1
EXIT_USAGE = 2
EXIT_INDEX = 3

index_option = click.option(
    "--index", "index_dir", metavar="FOLDER|URL",
    help=f"Index folder (Whoosh), or http://HOST:PORT/NAME for an OpenSearch index "
         f"(default: ${ENV_VAR} or the per-user data folder).")


def _fail(message: str, code: int) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def _engine(index_dir: str | None):
    try:
        return open_engine(index_dir)
    except (IndexMissing, EngineUnavailable) as exc:
        _fail(str(exc), EXIT_INDEX)
    except QueryError as exc:
        _fail(str(exc), EXIT_USAGE)


def facet_options(command: Callable[..., None]) -> Callable[..., None]:
    """``--person``/``--exclude-person`` and the like, one pair per registered facet."""
    for facet in reversed(REGISTRY):
        command = click.option(f"--exclude-{facet.cli_name}", f"x_{facet.field}", multiple=True,
                               help=facet.exclude_help)(command)
    for facet in reversed(REGISTRY):
        command = click.option(f"--{facet.cli_name}", f"f_{facet.field}", multiple=True,
                               help=facet.help)(command)
    return command


def facet_filters(options: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """The SearchRequest fields of the options ``facet_options`` added."""
    return {**{f.name: options[f"f_{f.field}"] for f in REGISTRY},
            **{f.exclude_name: options[f"x_{f.field}"] for f in REGISTRY}}


class _IsoDate(click.ParamType):
    """A ``--from``/``--to`` date, read by the parser the web app and ``date:`` share."""

    name = "DATE"

    def __init__(self, *, end: bool) -> None:
        self.end = end

    def convert(self, value, param, ctx):  # noqa: ANN001 - click's signature
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value), end=self.end)
        except QueryError as exc:
            self.fail(str(exc), param, ctx)


class _Main(click.Group):
    """Every command: an index that is missing, damaged or not an index (also found
    lazily, mid-search), or a server that cannot be reached (it can go away mid-search),
    is a message and exit code 3, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (IndexMissing, EngineUnavailable) as exc:
            _fail(str(exc), EXIT_INDEX)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--shards", type=click.IntRange(1, 1024), default=1, show_default=True,
              help="OpenSearch only: primary shards of a new index.")
@click.option("--replicas", type=click.IntRange(0, 16), default=0, show_default=True,
              help="OpenSearch only: copies of each shard on other nodes.")
@click.option("--problems", "show_problems", type=click.IntRange(0), default=20,
              show_default=True, help="How many problems to list (all are counted).")
def index_cmd(paths: tuple[Path, ...], index_dir: str | None, fmt: str | None, workers: int,
              rebuild: bool, wait: float, shards: int, replicas: int,
              show_problems: int) -> None:
    """Index articles from folders or files (incremental: only changes are rewritten).

    Formats are detected per file: Reuters-21578 .sgm, the BBC <category>/NNN.txt layout,
    .json/.jsonl (news-please), .html/.htm (also .gz) and plain-text pages (.txt).

    Each run ends by resolving people across the whole archive ("Reagan" -> "Ronald
    Reagan" once any article names him in full); it reports how many earlier articles
    that changed.
    """
    from indexer.build import build_index
    from indexer.progress import FileProgress

    target = resolve(index_dir)
    try:
        with FileProgress() as progress:
            report = build_index(list(paths), target, fmt=fmt, workers=workers,
                                 shards=shards, replicas=replicas,
                                 rebuild=rebuild, wait=wait, on_file=progress.advance,
                                 on_start=progress.start)
    except (IndexBusy, IndexWriteFailed) as exc:
        _fail(str(exc), EXIT_INDEX)
    except KeyboardInterrupt:
        _fail("interrupted; the index is unchanged", 130)
    for problem in report.problems[:show_problems]:
        label = "warning" if not problem.skipped else "skipped"
        click.echo(f"{label}: {terminal_safe(str(problem))}", err=True)
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
    click.echo(f"People across the archive: re-resolved {report.re_resolved:,} earlier "
               f"article{'' if report.re_resolved == 1 else 's'} "
               f"({report.resolve_seconds:.1f} s).")
    sys.exit(EXIT_NO_RESULTS if report.skipped else 0)


@main.command("copy")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--to", "target", required=True, metavar="URL",
              help="The OpenSearch index to fill, e.g. http://127.0.0.1:9200/news.")
@click.option("--rebuild", is_flag=True, help="Replace the target's articles instead of "
              "adding to them.")
@click.option("--shards", type=click.IntRange(1, 1024), default=1, show_default=True,
              help="Primary shards of a new index.")
@click.option("--replicas", type=click.IntRange(0, 16), default=0, show_default=True,
              help="Copies of each shard on other nodes.")
def copy_cmd(source: Path, target: str, rebuild: bool, shards: int, replicas: int) -> None:
    """Copy the Whoosh index SOURCE into OpenSearch as it is: no file is read again and
    no extraction runs (for archives that outgrew one machine)."""
    from indexer.build import copy_index

    started = time.perf_counter()
    try:
        documents = copy_index(source, target, rebuild=rebuild, shards=shards,
                               replicas=replicas)
    except IndexBusy as exc:
        _fail(str(exc), EXIT_INDEX)
    click.echo(f"Copied {source} into {target}: {documents:,} documents in the index. "
               f"{time.perf_counter() - started:.1f} s.")


@main.command("optimize")
@index_option
def optimize_cmd(index_dir: str | None) -> None:
    """Merge the index's segments into one (faster searches after many updates)."""
    from indexer.search.engine import optimize

    target = resolve(index_dir)
    try:
        before, after = optimize(target)
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
def stats_cmd(index_dir: str | None, fmt: str, limit: int) -> None:
    """Document count, date span and the most frequent values of every facet."""
    stats = _engine(index_dir).stats(limit)
    if fmt == "json":
        click.echo(json_text(stats.to_json()))
        return
    click.echo(f"Index:     {terminal_safe(stats.index)}\nDocuments: {stats.documents:,} "
               f"({stats.with_date:,} dated)\nDates:     {stats.first} to {stats.last}")
    for facet in FACETS:
        click.echo(f"{FACET_LABELS[facet]} (top {limit}):")
        for item in stats.top[facet]:
            click.echo(f"  {item.count:>7,}  {terminal_safe(str(item.value))}")


@main.command("search")
@click.argument("query", default="")
@index_option
@facet_options
@click.option("--from", "date_from", type=_IsoDate(end=False),
              help="Published on or after (2018-05-01; 2018-05 means from 1 May).")
@click.option("--to", "date_to", type=_IsoDate(end=True),
              help="Published on or before (2018-05-31; 2018-05 means to 31 May).")
@click.option("--sort", type=click.Choice(SORTS), default=None,
              help="Default: relevance with a QUERY, newest without.")
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--limit", type=int, default=10, show_default=True,
              help=f"Hits per page (at most {MAX_LIMIT}).")
@click.option("--facets", is_flag=True, help="Show facet counts below the hits.")
@click.option("--all-copies", is_flag=True, help="Show every copy of near-duplicate stories.")
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table",
              show_default=True)
def search_cmd(query: str, index_dir: str | None, date_from: date | None, date_to: date | None,
               sort: str | None, page: int, limit: int, facets: bool, all_copies: bool,
               fmt: str, **filters: tuple[str, ...]) -> None:
    """Search the index. QUERY uses words (AND), OR, NOT/-word, "phrases", "a b"~3,
    wild*, fuzzy~, (groups), title:/person:/country:/about:/organization:/source: and date:2018-05 or
    date:[2018-04-01 to 2018-05-31]. See docs/query-syntax.md."""
    try:
        request = SearchRequest(
            query=query, **facet_filters(filters), date_from=date_from, date_to=date_to,
            sort=sort or "", page=page, limit=limit, fold_duplicates=not all_copies)
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
def show_cmd(article_id: str, index_dir: str | None, query: str, fmt: str) -> None:
    """Print one article with its people (and the forms the archive merged into each),
    organisations, countries (mentioned and mainly about) and dates."""
    engine = _engine(index_dir)
    article = engine.article(article_id)
    if article is None:
        _fail(f"no article with id {article_id!r}", EXIT_NO_RESULTS)
    forms = {person: engine.merged_forms(person) for person in article.people}
    if fmt == "json":
        click.echo(json_text({**article.to_json(), "merged_forms": {
            person: [{"form": f, "articles": n} for f, n in found]
            for person, found in forms.items() if found}}))
        return
    color = sys.stdout.isatty()
    try:
        title_spans, body_spans = engine.highlight_article(article, query)
    except QueryError as exc:  # the checks of a search: same refusals, same messages
        _fail(str(exc), EXIT_USAGE)
    click.echo(click.style(marked_text(article.title, title_spans, color), bold=color))
    meta = [article.published.isoformat(sep=" ") if article.published else "undated",
            article.source, article.dateline, article.url, article.id]
    click.echo(terminal_safe(" · ".join(m for m in meta if m)))
    for label, values in (("People", article.people), ("Organisations", article.organizations),
                          ("Countries", article.countries),
                          ("Mainly about", article.about), ("Dates mentioned", article.mentioned),
                          ("Authors", article.authors)):
        if values:
            click.echo(terminal_safe(f"{label}: {', '.join(values)}"))
        if label == "People":
            for person, found in forms.items():
                if found:
                    written = ", ".join(f"{f} ({n:,})" for f, n in found)
                    click.echo(terminal_safe(f"  {person} is also written: {written}"))
    click.echo("")
    click.echo(marked_text(article.body, body_spans, color))


@main.command("related")
@click.argument("article_id")
@index_option
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=10, show_default=True)
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table",
              show_default=True)
def related_cmd(article_id: str, index_dir: str | None, limit: int, fmt: str) -> None:
    """Articles most like ARTICLE_ID (copies of the same story left out)."""
    engine = _engine(index_dir)
    try:
        hits = engine.related(article_id, limit)
    except KeyError:
        _fail(f"no article with id {article_id!r}", EXIT_NO_RESULTS)
    if fmt == "json":
        click.echo(json_text({"id": article_id, "hits": [h.to_json() for h in hits]}))
    elif fmt == "ndjson":
        click.echo(hits_ndjson(hits), nl=False)
    elif fmt == "csv":
        click.echo(hits_csv(hits), nl=False)
    else:
        click.echo(hits_text(hits, sys.stdout.isatty()), nl=False)
    sys.exit(0 if hits else EXIT_NO_RESULTS)


def _public_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    try:
        return checked_public_url(value) if value else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command("serve")
@index_option
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on (the default accepts local connections only).")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option("--public-url", callback=_public_url,
              help="The URL people reach the site at, for the feed's absolute links "
              "(default: http://HOST:PORT/; set it behind a proxy or on 0.0.0.0).")
@click.option("--dev", is_flag=True, help="Use Flask's reloading development server.")
def serve_cmd(index_dir: str | None, host: str, port: int, threads: int,
              public_url: str | None, dev: bool) -> None:
    """Serve the search page and JSON API (waitress, a production WSGI server)."""
    from webapp import create_app

    target = resolve(index_dir)
    try:
        app = create_app({"INDEX_DIR": str(target),
                          "PUBLIC_URL": public_url or served_url(host, port)})
    except IndexMissing as exc:
        _fail(str(exc), EXIT_INDEX)
    except ValueError as exc:  # a host that makes no URL, e.g. 'a b'
        _fail(f"cannot serve on {host!r}: {exc}", EXIT_USAGE)
    if dev:
        app.run(host=host, port=port, debug=True)
        return
    server = _listen(app, host, port, threads)
    app.extensions["newsearch.engine"].warm()
    click.echo(f"Serving {target} on {served_url(host, port)}  (Ctrl-C to stop)")
    server.run()


def _listen(app, host: str, port: int, threads: int):  # noqa: ANN001, ANN202 - Flask, waitress
    """The bound waitress server, or exit 2 for an address that is not one and 3 for one
    this machine cannot listen on (taken by another program, not a local address)."""
    import errno
    import socket

    from webapp.server import make_server

    try:
        return make_server(app, host, port, threads)
    except (socket.gaierror, ValueError):
        _fail(f"cannot serve on {host!r}: not an IP address or a host name that resolves",
              EXIT_USAGE)
    except OSError as exc:
        hint = ("; another program uses this port: stop it or choose one with --port"
                if exc.errno == errno.EADDRINUSE else "")
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}", EXIT_INDEX)


# -- compare queries over time, bursts (issue 14; logic in indexer/insights/) ----------

@main.command("compare", help=f"""Compare up to {MAX_SERIES} QUERIES over time: articles
    per bucket and their share of all articles in it. Each query takes its own filters in
    the query language (person:, country:, about:, source:, date:); all share one interval
    and one date range, so their buckets line up.""")
@click.argument("queries", nargs=-1, required=True)
@index_option
@click.option("--by", "interval", type=click.Choice(INTERVALS), default=None,
              help="Bucket size (default: chosen from the date range, as on the timeline).")
@click.option("--from", "date_from", type=_IsoDate(end=False),
              help="First day of the range (default: the archive's first dated day).")
@click.option("--to", "date_to", type=_IsoDate(end=True),
              help="Last day of the range (default: the archive's last dated day).")
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "json")),
              default="table", show_default=True)
def compare_cmd(queries: tuple[str, ...], index_dir: str | None, interval: str | None,
                date_from: date | None, date_to: date | None, fmt: str) -> None:
    if date_from and date_to and date_from > date_to:
        _fail("the 'from' date is after the 'to' date", EXIT_USAGE)
    engine = _engine(index_dir)
    try:
        found = compare(engine, queries, interval, date_from, date_to)
    except QueryError as exc:
        _fail(str(exc), EXIT_USAGE)
    if fmt == "json":
        click.echo(json_text(found.to_json()))
    elif fmt == "csv":
        click.echo(found.to_csv(), nl=False)
    else:
        click.echo(terminal_safe(found.to_table()), nl=False)
    sys.exit(0 if any(s.total for s in found.series) else EXIT_NO_RESULTS)


@main.command("bursts")
@click.argument("query", default="")
@index_option
@click.option("--by", "interval", type=click.Choice(INTERVALS), default=None,
              help="Bucket size (default: chosen from the matches' dates).")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table",
              show_default=True)
def bursts_cmd(query: str, index_dir: str | None, interval: str | None, fmt: str) -> None:
    """Periods when QUERY's coverage rose well above its usual share of the archive
    (Kleinberg's burst detection), strongest first. QUERY takes filters in the query
    language (person:, country:, date:...). Exit code 1 when there is no burst."""
    engine = _engine(index_dir)
    try:
        chosen, found = search_bursts(engine, SearchRequest(query=query), interval)
    except QueryError as exc:
        _fail(str(exc), EXIT_USAGE)
    if fmt == "json":
        click.echo(json_text([b.to_json() for b in found]))
    else:
        click.echo(terminal_safe(bursts_table(chosen, found)), nl=False)
    sys.exit(0 if found else EXIT_NO_RESULTS)


# -- correlated names and the network of a search (indexer.insights) ------------------------

def _insight_request(query: str, date_from: date | None, date_to: date | None,
                     filters: dict[str, tuple[str, ...]]) -> SearchRequest:
    return SearchRequest(query=query, **facet_filters(filters), date_from=date_from,
                         date_to=date_to, highlight=False, with_facets=False)


def _date_options(command: Callable[..., None]) -> Callable[..., None]:
    command = click.option("--to", "date_to", type=_IsoDate(end=True),
                           help="Published on or before.")(command)
    return click.option("--from", "date_from", type=_IsoDate(end=False),
                        help="Published on or after.")(command)


@main.command("correlated")
@click.argument("query", default="")
@index_option
@facet_options
@_date_options
@click.option("--facet", type=click.Choice(FACETS), default="people", show_default=True,
              help="Whose values to score.")
@click.option("--limit", type=int, default=10, show_default=True,
              help=f"How many (at most {MAX_LIMIT}).")
@click.option("--min-count", type=int, default=3, show_default=True,
              help="Leave out values in fewer results than this.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def correlated_cmd(query: str, index_dir: str | None, date_from: date | None,
                   date_to: date | None, facet: str, limit: int, min_count: int, fmt: str,
                   **filters: tuple[str, ...]) -> None:
    """Names (people, countries...) unusually frequent in the results of QUERY compared with
    the whole archive: exact counts and Dunning's log-likelihood G² (docs/api.md)."""
    from indexer.insights.correlated import correlated

    try:
        found = correlated(_engine(index_dir), _insight_request(query, date_from, date_to,
                                                                filters),
                           facet, limit, min_count)
    except QueryError as exc:
        _fail(str(exc), EXIT_USAGE)
    if fmt == "json":
        click.echo(json_text([c.to_json() for c in found]))
    else:
        click.echo(f"{'score':>9}  {'results':>7}  {'archive':>7}  {FACET_LABELS[facet].lower()}")
        for c in found:
            click.echo(f"{c.score:>9.1f}  {c.count:>7,}  {c.background:>7,}  "
                       f"{terminal_safe(c.value)}")
    sys.exit(0 if found else EXIT_NO_RESULTS)


@main.command("network")
@click.argument("query", default="")
@index_option
@facet_options
@_date_options
@click.option("--facet", "facets", type=click.Choice(FACETS), multiple=True,
              help="Whose values are the nodes (repeatable; default: people).")
@click.option("--limit", type=int, default=25, show_default=True,
              help="The most frequent values of each facet to link.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "gexf", "graphml"]),
              default="table", show_default=True)
def network_cmd(query: str, index_dir: str | None, date_from: date | None,
                date_to: date | None, facets: tuple[str, ...], limit: int, fmt: str,
                **filters: tuple[str, ...]) -> None:
    """Who appears with whom in the results of QUERY: the most frequent names, linked by
    the number of results holding both (GEXF and GraphML open in Gephi)."""
    from indexer.insights.network import DEFAULT_FACETS, network

    try:
        graph = network(_engine(index_dir), _insight_request(query, date_from, date_to,
                                                             filters),
                        facets or DEFAULT_FACETS, limit)
    except QueryError as exc:
        _fail(str(exc), EXIT_USAGE)
    if fmt == "json":
        click.echo(json_text(graph.to_json()))
    elif fmt in ("gexf", "graphml"):
        click.echo(graph.export(fmt).decode("utf-8"), nl=False)
    else:
        click.echo(f"{len(graph.nodes)} names, {len(graph.edges)} links in "
                   f"{graph.total:,} results")
        for n in graph.nodes:
            click.echo(f"  {n.count:>7,}  {terminal_safe(n.id)}")
        click.echo("Together:")
        for e in graph.edges:
            click.echo(f"  {e.weight:>7,}  {terminal_safe(e.source)} — {terminal_safe(e.target)}")
    sys.exit(0 if graph.nodes else EXIT_NO_RESULTS)

# -- saved searches and alerts (indexer.insights) ---------------------------------------

@main.group("saved")
def saved_group() -> None:
    """Saved searches: a name and a search page's query string (the web page's "Save
    this search" keeps the same list)."""


def _store(index_dir: str | None):
    """The engine and the saved searches of an index (exit 3 if it cannot be opened)."""
    from indexer.insights.saved import open_store

    engine = _engine(index_dir)
    try:
        return engine, open_store(index_dir)
    except (IndexMissing, EngineUnavailable) as exc:
        _fail(str(exc), EXIT_INDEX)


@saved_group.command("add")
@click.argument("name")
@click.argument("state", metavar="QUERY-STRING-OR-URL")
@index_option
def saved_add(name: str, state: str, index_dir: str | None) -> None:
    """Save a search as NAME: the query string of a search page ('q=oil&country=Kuwait')
    or its whole URL. Alerts report what the index receives from now on."""
    from indexer.insights.saved import save

    engine, store = _store(index_dir)
    try:
        saved = save(store, engine, name, state)
    except QueryError as exc:
        _fail(str(exc), EXIT_USAGE)
    click.echo(terminal_safe(f"saved {saved.name!r}: {saved.state}"))


@saved_group.command("list")
@index_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def saved_list(index_dir: str | None, fmt: str) -> None:
    """Every saved search with the number of matches new since it was last opened from
    the web page's list."""
    from indexer.insights.saved import new_count

    engine, store = _store(index_dir)
    rows = [(s, new_count(engine, s)) for s in store.all()]
    if fmt == "json":
        click.echo(json_text([{**s.to_json(), "new": n} for s, n in rows]))
        return
    for s, n in rows:
        click.echo(terminal_safe(f"{s.name}\t{n:,} new\t{s.state}"))


@saved_group.command("remove")
@click.argument("name")
@index_option
def saved_remove(name: str, index_dir: str | None) -> None:
    """Forget the saved search NAME."""
    _, store = _store(index_dir)
    try:
        store.remove(name)
    except QueryError as exc:
        _fail(str(exc), EXIT_NO_RESULTS)
    click.echo(terminal_safe(f"removed {name!r}"))


class _Moment(click.ParamType):
    """``--since``: an ISO date or date and time; without a zone, UTC."""

    name = "DATETIME"

    def convert(self, value, param, ctx):  # noqa: ANN001 - click's signature
        from datetime import UTC, datetime

        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not an ISO date or date and time "
                      "(2026-12-01 or 2026-12-01T09:30)", param, ctx)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@main.command("alerts")
@index_option
@click.option("--since", type=_Moment(), default=None,
              help="Report what was added after this moment, and move no mark. Default: "
                   "for each saved search, since the previous `alerts` run that reported "
                   "it (or since it was saved).")
@click.option("--name", "names", multiple=True, help="Only this saved search (repeatable).")
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default="table",
              show_default=True)
def alerts_cmd(index_dir: str | None, since, names: tuple[str, ...], fmt: str) -> None:  # noqa: ANN001
    """New matches of every saved search, for cron and mail. Exit 0 if any search has
    new matches, 1 if none has."""
    import csv
    import io

    from indexer.insights.alerts import run_alerts
    from indexer.render import CSV_COLUMNS, hit_row
    from indexer.search.added import AlertsUnavailable

    engine, store = _store(index_dir)
    try:
        alerts = run_alerts(store, engine, since, names)
    except AlertsUnavailable as exc:  # an index made before the "added" field
        _fail(str(exc), EXIT_INDEX)
    except QueryError as exc:  # an unknown --name
        _fail(str(exc), EXIT_USAGE)
    if fmt == "json":
        click.echo(json_text([a.to_json() for a in alerts]))
    elif fmt == "ndjson":
        click.echo("".join(json_text({"saved": a.saved.name, **h.to_json()}) + "\n"
                           for a in alerts for h in a.hits), nl=False)
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=["saved", *CSV_COLUMNS], lineterminator="\n")
        writer.writeheader()
        for a in alerts:
            writer.writerows({"saved": a.saved.name, **hit_row(h)} for h in a.hits)
        click.echo(buf.getvalue(), nl=False)
    else:
        color = sys.stdout.isatty()
        for a in alerts:
            since_text = a.since.isoformat(sep=" ", timespec="seconds") if a.since else "ever"
            click.echo(terminal_safe(f"== {a.saved.name}: {len(a.hits):,} new since "
                                     f"{since_text} ({a.saved.state})"))
            if a.error:
                click.echo(terminal_safe(f"   Error: {a.error}"))
            click.echo(hits_text(a.hits, color), nl=False)
    sys.exit(0 if any(a.hits for a in alerts) else EXIT_NO_RESULTS)
