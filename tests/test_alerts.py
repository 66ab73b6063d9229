"""Alerts: a saved search reports exactly the articles the index received after the save,
on both engines (issue 14). Each test builds a small index of real Reuters articles,
saves a search, indexes more, and reads ``newsearch alerts`` as a cron job would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.build import build_index
from indexer.cli import main
from indexer.search.engine import open_engine
from indexer.search.model import SearchRequest
from tests.conftest import reuters_articles


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def ids(location: str, query: str) -> set[str]:
    engine = open_engine(location)
    return {h.id for h in engine.export(SearchRequest(query=query, fold_duplicates=False))}


def alerts(location: str, *args: str) -> dict[str, list[str]]:
    code, out = run("alerts", "--index", location, "--format", "json", *args)
    assert code in (0, 1), out
    return {a["name"]: [h["id"] for h in a["hits"]] for a in json.loads(out)}


def test_alerts_show_exactly_the_articles_added_after_the_save(writable_location, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "first.sgm").write_text(reuters_articles(1, 40), "latin-1")
    build_index([docs], writable_location)
    before = ids(writable_location, "oil OR dlrs")
    assert run("saved", "add", "money", "q=oil OR dlrs", "--index", writable_location)[0] == 0
    assert run("saved", "add", "sideways", "q=oil&sort=sideways",
               "--index", writable_location)[0] == 2  # not a valid search: refused
    assert alerts(writable_location) == {"money": []}

    (docs / "second.sgm").write_text(reuters_articles(41, 80), "latin-1")
    build_index([docs], writable_location)
    expected = ids(writable_location, "oil OR dlrs") - before
    assert len(expected) >= 5  # the test means something
    new = alerts(writable_location)["money"]
    assert sorted(new) == sorted(expected)
    assert len(new) == len(set(new))

    # The run moved the mark: the next run reports nothing; --since looks back, moves none.
    assert alerts(writable_location) == {"money": []}
    assert sorted(alerts(writable_location, "--since", "2000-01-01")["money"]) == \
        sorted(ids(writable_location, "oil OR dlrs"))
    assert alerts(writable_location) == {"money": []}


def test_a_changed_article_is_new_and_its_unchanged_neighbours_are_not(writable_location,
                                                                       tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    original = reuters_articles(1, 20)
    (docs / "batch.sgm").write_text(original, "latin-1")
    build_index([docs], writable_location)
    assert run("saved", "add", "all dated", "q=date:1987", "--index", writable_location)[0] == 0
    # One article of the 20 is corrected; the file changes, so all 20 are read again.
    (docs / "batch.sgm").write_text(original.replace("Showers continued throughout the week",
                                                     "Heavy showers continued all week"),
                                    "latin-1")
    build_index([docs], writable_location)
    assert alerts(writable_location)["all dated"] == ["reuters-1"]  # NEWID 1, Bahia cocoa review


def test_rebuild_keeps_saved_searches_and_what_counts_as_new(writable_location, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "first.sgm").write_text(reuters_articles(1, 20), "latin-1")
    build_index([docs], writable_location)
    assert run("saved", "add", "cocoa", "q=cocoa OR said", "--index", writable_location)[0] == 0
    build_index([docs], writable_location, rebuild=True)
    code, out = run("saved", "list", "--index", writable_location, "--format", "json")
    assert code == 0
    assert [(s["name"], s["new"]) for s in json.loads(out)] == [("cocoa", 0)]
    assert alerts(writable_location) == {"cocoa": []}


def test_an_index_made_before_the_field_asks_for_a_reindex_then_works(tmp_path):
    """Whoosh only: an index whose schema lacks ``added`` (newsearch before issue 14)."""
    from indexer.engines.whoosh.store import open_index

    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "first.sgm").write_text(reuters_articles(1, 10), "latin-1")
    build_index([docs], index)
    writer = open_index(index).writer()
    writer.remove_field("added")
    writer.commit(optimize=True)
    assert "added" not in open_index(index).schema

    assert run("saved", "add", "said", "q=said", "--index", str(index))[0] == 0
    code, out = run("alerts", "--index", str(index))
    assert code == 3
    assert "does not record when articles were added" in out and "--rebuild" in out
    assert run("search", "said", "--index", str(index))[0] == 0  # searching still works

    build_index([docs], index)  # any run adds the field; the old articles are not new
    assert alerts(str(index)) == {"said": []}
    (docs / "second.sgm").write_text(reuters_articles(11, 20), "latin-1")
    build_index([docs], index)
    engine = open_engine(index)
    expected = {h.id for h in engine.export(SearchRequest(query="said")) if int(h.id.split("-")[-1]) > 10}
    assert expected and set(alerts(str(index))["said"]) == expected


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_alerts_formats_name_the_saved_search(fmt, tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "a.sgm").write_text(reuters_articles(1, 5), "latin-1")
    build_index([docs], index)
    assert run("saved", "add", "said", "q=said", "--index", str(index))[0] == 0
    (docs / "b.sgm").write_text(reuters_articles(6, 15), "latin-1")
    build_index([docs], index)
    code, out = run("alerts", "--index", str(index), "--format", fmt)
    assert code == 0
    if fmt == "csv":
        rows = out.splitlines()
        assert rows[0].startswith("saved,id,title")
        assert len(rows) > 1 and all(r.startswith("said,") for r in rows[1:])
    else:
        assert out.startswith("== said: ") and " new since " in out


def test_alerts_exit_1_when_nothing_is_new_for_cron(tmp_path: Path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "a.sgm").write_text(reuters_articles(1, 5), "latin-1")
    build_index([docs], index)
    assert run("saved", "add", "said", "q=said", "--index", str(index))[0] == 0
    assert run("alerts", "--index", str(index))[0] == 1
    assert run("alerts", "--index", str(index), "--since", "yesterday")[0] == 2
