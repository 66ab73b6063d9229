"""Nothing an article carries can drive the terminal that ``newsearch`` prints to.

Titles, bodies, sources, authors and file names (which become ids) below hold a
clear-screen CSI, an OSC window retitle ended by BEL, an 8-bit CSI, a backspace and a
carriage return. Every command that prints article data must print the readable text
with every control sequence removed (JSON output escapes them instead).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.build import build_index
from indexer.cli import main
from indexer.render import terminal_safe

CLEAR = "\x1b[2J\x1b[H"
RETITLE = "\x1b]0;pwned\x07"
CSI8 = "\x9b31m"
NASTY = (CLEAR, RETITLE, CSI8, "\x08", "\r", "\x1b", "\x07", "\x9b", "\x9d")
ARTICLES = {
    f"tin{CLEAR}report.txt": (
        f"---\ntitle: Tin {RETITLE}price{CLEAR} talks in Bolivia\ndate: 1987-03-01\n"
        f"source: wire{CSI8}\nauthor: Ann {CLEAR}Smith\n---\n"
        f"LA PAZ — Tin producers {RETITLE}met in Bolivia{CLEAR} on Monday, the ministry said.\r\n"
        "Tin output rose.\x08\x08\x08 Bolivia and Peru agreed to talk again.\n"),
    "calm.txt": (
        "---\ntitle: Tin council meets in London\ndate: 1987-03-02\n---\n"
        "LONDON — The International Tin Council met about Bolivia's tin output.\n"),
}


@pytest.fixture(scope="module")
def escape_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("escape-articles")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, "utf-8")
    target = tmp_path_factory.mktemp("escape-index")
    build_index([folder], target)
    return target


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.output


def _assert_no_controls(output: str) -> None:
    for seq in NASTY:
        assert seq not in output, f"{seq!r} reached the terminal"


def _assert_clean(output: str) -> None:
    """No control bytes, and no remains of the sequences shown as text either."""
    _assert_no_controls(output)
    assert "[2J" not in output and "0;pwned" not in output


def test_the_one_function_strips_sequences_and_keeps_text() -> None:
    assert terminal_safe(f"a{CLEAR}b{RETITLE}c{CSI8}d\x08e\tf\ng\x1b]8;;http://x\x1b\\h") \
        == "abcde\tf\ngh"
    assert terminal_safe("unterminated \x1b]0;title") == "unterminated 0;title"
    assert terminal_safe("Zürich — “quotes” 東京") == "Zürich — “quotes” 東京"


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_search_prints_no_control_sequences(escape_index: Path, fmt: str) -> None:
    output = _run("search", "tin", "--index", str(escape_index), "--facets", "--format", fmt)
    _assert_clean(output)
    assert "Tin price talks in Bolivia" in output and "tinreport" in output


@pytest.mark.parametrize("fmt", ["json", "ndjson"])
def test_json_output_escapes_controls_and_keeps_the_text(escape_index: Path, fmt: str) -> None:
    output = _run("search", "tin", "--index", str(escape_index), "--format", fmt)
    _assert_no_controls(output)
    first = json.loads(output.splitlines()[0])
    hits = first["hits"] if fmt == "json" else [first]
    titles = {h["title"] for h in hits} | {json.loads(line)["title"]
                                            for line in output.splitlines()[1:] if line}
    assert f"Tin {RETITLE}price{CLEAR} talks in Bolivia" in titles


def test_show_related_and_stats_print_no_control_sequences(escape_index: Path) -> None:
    found = json.loads(_run("search", "bolivia talks", "--index", str(escape_index),
                            "--format", "json"))
    article_id = next(h["id"] for h in found["hits"] if "price" in h["title"])
    assert "\x1b" in article_id  # the file name's bytes are in the id itself
    shown = _run("show", article_id, "--index", str(escape_index), "--query", "tin")
    _assert_clean(shown)
    assert "met in Bolivia on Monday" in shown and "Ann Smith" in shown
    _assert_no_controls(_run("show", article_id, "--index", str(escape_index),
                             "--format", "json"))
    for fmt in ("table", "csv"):
        _assert_clean(_run("related", article_id, "--index", str(escape_index),
                           "--format", fmt))
    _assert_no_controls(_run("related", article_id, "--index", str(escape_index),
                             "--format", "json"))
    _assert_clean(_run("stats", "--index", str(escape_index)))
    _assert_no_controls(_run("stats", "--index", str(escape_index), "--format", "json"))


def test_index_problems_name_files_without_control_sequences(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"empty{CLEAR}{RETITLE}.txt").write_text("")
    (folder / "good.txt").write_text("Good title\n\nSome body text.\n")
    output = _run("index", str(folder), "--index", str(tmp_path / "ix"))
    _assert_clean(output)
    assert "skipped: empty.txt: empty" in output
