"""The newsearch command through click's CliRunner: outputs and exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from indexer.cli import main
from tests.conftest import REPO


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)
    return invoke


def test_index_reports_a_summary_and_exit_code(run, tmp_path):
    result = run("index", str(REPO / "corpus"), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 0, result.output
    assert "13 added, 0 updated, 0 removed, 0 unchanged" in result.output
    assert "articles/s" in result.output
    again = run("index", str(REPO / "corpus"), "--index", str(tmp_path / "ix"))
    assert "0 added, 0 updated, 0 removed, 13 unchanged" in again.output


def test_index_exit_code_1_lists_skipped_files(run, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Good title\n\nSome body text.\n")
    (folder / "empty.txt").write_text("")
    result = run("index", str(folder), "--index", str(tmp_path / "ix"))
    assert result.exit_code == 1
    assert "skipped: empty.txt: empty: file is empty" in result.output
    assert "1 added" in result.output


def test_index_env_variable_sets_the_location(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSEARCH_INDEX", str(tmp_path / "env-ix"))
    result = CliRunner().invoke(main, ["index", str(REPO / "corpus")])
    assert result.exit_code == 0 and (tmp_path / "env-ix").is_dir()


def test_search_json_shape(run, corpus_index):
    result = run("search", "pompeo", "--index", str(corpus_index), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data) >= {"query", "total", "page", "limit", "suggestion", "hits", "facets",
                         "took_ms"}
    assert data["total"] == 1 and data["query"] == "pompeo"
    hit = data["hits"][0]
    assert set(hit) >= {"id", "title", "published", "source", "people", "countries", "about",
                        "snippet", "score"}
    assert hit["id"] == "kono-pompeo-amman.txt" and hit["published"].startswith("2018-05-02")
    assert "<" not in hit["snippet"], "plain text: the spans say what to mark"
    assert {hit["snippet"][s:e] for s, e in hit["snippet_spans"]} == {"Pompeo"}
    assert isinstance(hit["title_spans"], list) and "title_html" not in hit
    assert {"value": "Mike Pompeo", "count": 1, "selected": False} in data["facets"]["people"]
    assert data["facets"]["dates"] == {"interval": "day", "buckets": [
        {"value": "2018-05-02", "count": 1, "selected": False}]}


def test_search_table_is_plain_text_off_a_terminal(run, corpus_index):
    result = run("search", "missile", "--index", str(corpus_index), "--facets")
    assert result.exit_code == 0
    assert "<mark>" not in result.output and "\x1b[" not in result.output
    assert "articles match 'missile'" in result.output
    assert "Countries:" in result.output and "North Korea" in result.output
    assert "Mainly about:" in result.output


def test_search_filters_and_csv(run, corpus_index):
    result = run("search", "", "--index", str(corpus_index), "--country", "Panama",
                 "--exclude-person", "Xi Jinping", "--sort", "newest", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and all("Panama" in r["countries"] for r in rows)
    assert [r["published"] for r in rows] == sorted((r["published"] for r in rows), reverse=True)


def test_search_about_and_exclude_about(run, corpus_index):
    """--about keeps the stories mainly about a country; --exclude-about leaves them out
    but keeps passing mentions, like the Panama Papers story that names Japan once."""
    def rows(*filters: str) -> dict[str, dict[str, str]]:
        result = run("search", "", "--index", str(corpus_index), *filters, "--limit", "100",
                     "--format", "csv")
        return {r["id"]: r for r in csv.DictReader(io.StringIO(result.output))}

    mentions = rows("--country", "Japan")
    about = rows("--about", "Japan")
    passing = rows("--country", "Japan", "--exclude-about", "Japan")
    assert about and all("Japan" in r["about"].split("; ") for r in about.values())
    assert set(about) | set(passing) == set(mentions) and not set(about) & set(passing)
    assert "panama-papers-fallout-hurts-a-reputation-panama-thought-it-h.txt" in passing


def test_search_ndjson_one_hit_per_line(run, corpus_index):
    result = run("search", "korea", "--index", str(corpus_index), "--format", "ndjson",
                 "--limit", "3")
    lines = result.output.splitlines()
    assert len(lines) == 3 and all(json.loads(line)["id"] for line in lines)


def test_search_dates(run, corpus_index):
    result = run("search", "", "--index", str(corpus_index), "--from", "2017-09",
                 "--to", "2017-09-30", "--format", "json")
    data = json.loads(result.output)
    assert data["total"] == 3
    assert all(h["published"].startswith("2017-09") for h in data["hits"])


def test_no_results_exit_1(run, corpus_index):
    result = run("search", "zzzzqqq", "--index", str(corpus_index))
    assert result.exit_code == 1 and "0 articles match" in result.output


@pytest.mark.parametrize("args", [
    ['"unclosed'], ["AND OR"], ["date:[2018 to"], ["title:x", "--page", "0"],
    ["x", "--limit", "1000000000"], ["x", "--from", "yesterday"], ["a*"],
])
def test_usage_and_syntax_errors_exit_2_without_traceback(run, corpus_index, args):
    result = run("search", *args, "--index", str(corpus_index))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Error" in result.output


def test_missing_index_exit_3_names_the_fix(run, tmp_path):
    result = run("search", "x", "--index", str(tmp_path / "nothing"))
    assert result.exit_code == 3
    assert "newsearch index PATH --index" in result.output


def test_show_and_related(run, corpus_index):
    shown = run("show", "kono-pompeo-amman.txt", "--index", str(corpus_index), "--query", "Amman")
    assert shown.exit_code == 0
    assert shown.output.startswith("Kono hurries to meet Pompeo")
    assert "People: " in shown.output and "Mike Pompeo" in shown.output
    assert "Countries: " in shown.output and "Saudi Arabia" in shown.output
    about = next(line for line in shown.output.splitlines() if line.startswith("Mainly about: "))
    assert "Jordan" in about and "Saudi Arabia" not in about  # named once, late
    as_json = json.loads(run("show", "kono-pompeo-amman.txt", "--index", str(corpus_index),
                             "--format", "json").output)
    assert as_json["dateline"] == "TOKYO" and "2018-04-30" in as_json["mentioned"]
    related = run("related", "kono-pompeo-amman.txt", "--index", str(corpus_index),
                  "--format", "json")
    assert related.exit_code == 0 and json.loads(related.output)["hits"]
    missing = run("show", "no-such-id", "--index", str(corpus_index))
    assert missing.exit_code == 1 and "no article with id" in missing.output


def test_stats_json(run, corpus_index):
    data = json.loads(run("stats", "--index", str(corpus_index), "--format", "json").output)
    assert data["documents"] == 13
    assert (data["first"], data["last"]) == ("2016-04-04", "2018-05-02")
    assert {"value": "North Korea", "count": 9} in data["countries"]


def test_help_lists_every_command(run):
    output = run("--help").output
    for command in ("index", "search", "show", "related", "stats", "serve"):
        assert command in output


def test_cli_reference_documents_every_option():
    """docs/cli.md is generated from --help; a missing option means it drifted."""
    doc = (REPO / "docs" / "cli.md").read_text("utf-8")
    for command in main.commands.values():
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert opt in doc, f"{command.name} {opt} missing from docs/cli.md"




def _json_search(run, index, *args: str) -> dict:
    result = run("search", "--index", str(index), "--format", "json", "--limit", "100",
                 "--all-copies", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def test_search_exclude_country_leaves_out_every_article_mentioning_it(run, reuters_index):
    """On the Reuters subset 'oil' has 194 hits, 120 of them mentioning the United States:
    dropping --exclude-country silently gave 194 instead of 74."""
    everything = _json_search(run, reuters_index, "oil")
    mentioning = _json_search(run, reuters_index, "oil", "--country", "United States")
    without = _json_search(run, reuters_index, "oil", "--exclude-country", "United States")
    assert 0 < mentioning["total"] < everything["total"]
    assert without["total"] == everything["total"] - mentioning["total"]
    assert without["hits"] and all("United States" not in h["countries"]
                                   for h in without["hits"])
    assert without["filters"] == {"exclude_countries": ["United States"]}


def test_search_exclusions_without_a_query(run, reuters_index):
    """--exclude-source reuters on an all-Reuters index returned every article."""
    result = run("search", "--index", str(reuters_index), "--exclude-source", "reuters")
    assert result.exit_code == 1 and result.output.startswith("0 articles match")
    every = _json_search(run, reuters_index)
    japan = _json_search(run, reuters_index, "--country", "Japan")
    not_japan = _json_search(run, reuters_index, "--exclude-country", "Japan")
    assert not_japan["total"] == every["total"] - japan["total"] > 0
    assert all("Japan" not in h["countries"] for h in not_japan["hits"])
    assert _json_search(run, reuters_index, "--exclude-source", "reuters")["total"] == 0
