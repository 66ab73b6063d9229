"""Time-based indexes behind one read alias (docs/scaling.md §6): each period is a
newsearch index of its own, and an alias over all of them answers searches across the
archive. Indexing goes to one period's index; naming the read alias in ``newsearch index``
is refused with a message and exit code 3, and every period keeps its articles (the run
used to pick one of the indexes, and its alias swap deleted the others)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.build import build_index
from indexer.cli import main as cli
from indexer.engines.opensearch.client import connect, parse_location
from indexer.engines.opensearch.writer import side_index
from indexer.search.engine import open_engine
from indexer.search.model import SearchRequest
from tests.conftest import REPO, drop_opensearch_index


@pytest.fixture
def periods(opensearch_url: str, tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """Two period indexes of corpus/'s articles, split by file, and a read alias over
    both (and over their word lists, as the engine reads them beside the index)."""
    files = sorted(p for p in (REPO / "corpus").iterdir() if p.suffix in (".txt", ".json"))
    prefix = f"read-alias-{os.getpid()}"
    locations = []
    for n, part in enumerate((files[::2], files[1::2])):
        folder = tmp_path / f"period-{n}"
        folder.mkdir()
        for f in part:
            shutil.copy(f, folder / f.name)
        locations.append(f"{opensearch_url}/{prefix}-{n}")
        build_index([folder], locations[-1])
    client = connect(parse_location(locations[0]))
    concrete = [next(iter(client.indices.get_alias(name=parse_location(w).name)))
                for w in locations]
    client.indices.update_aliases(body={"actions": [
        {"add": {"indices": concrete, "alias": prefix}},
        {"add": {"indices": [side_index(c) for c in concrete], "alias": side_index(prefix)}}]})
    yield f"{opensearch_url}/{prefix}", locations
    for where in locations:
        drop_opensearch_index(where)


def _total(location: str) -> int:
    return open_engine(location).search(SearchRequest(query="")).total


def test_a_read_alias_searches_every_period(periods):
    read, locations = periods
    each = [_total(where) for where in locations]
    assert all(each) and _total(read) == sum(each)
    hits = open_engine(read).search(SearchRequest(query="missile")).total
    assert hits == sum(open_engine(w).search(SearchRequest(query="missile")).total
                       for w in locations)


def test_indexing_through_the_read_alias_is_refused_and_loses_nothing(periods):
    read, locations = periods
    before = [_total(where) for where in locations]
    result = CliRunner().invoke(cli, ["index", str(REPO / "corpus"), "--index", read])
    assert result.exit_code == 3
    assert "alias over several indexes" in result.output
    assert [_total(where) for where in locations] == before
    assert _total(read) == sum(before)


def test_an_article_and_a_person_open_through_the_read_alias(periods):
    """One article's page, ``newsearch show`` and related articles read through the alias
    (a GET by id cannot name an alias over several indexes: it ended in a traceback)."""
    from webapp import create_app

    read, locations = periods
    engine = open_engine(read)
    for where in locations:
        [hit] = open_engine(where).search(SearchRequest(query="", limit=1)).hits
        assert engine.article(hit.id).title == hit.title
        shown = CliRunner().invoke(cli, ["show", hit.id, "--index", read])
        assert shown.exit_code == 0 and hit.title in shown.output, shown.output
        engine.related(hit.id)
    client = create_app({"INDEX_DIR": read}).test_client()
    page = client.get(f"/article/{hit.id}")
    assert page.status_code == 200 and hit.title in page.get_data(as_text=True)
    person = client.get("/person/Mike Pompeo")
    assert person.status_code == 200 and "Mike Pompeo" in person.get_data(as_text=True)
    assert engine.merged_forms("Nobody Atall") == []
