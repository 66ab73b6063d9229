"""Smoke test of the scale benchmark (issue 7): a tiny run end to end, no timing asserts.

Runs bench/scale.py exactly as documented in docs/BENCHMARKS.md, on 500 and 1,000
synthetic articles with one incremental update, and checks that the table, the plot and
the JSON are written and that the numbers are sane.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, shared_path

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scale_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    shared_path("corpora", "reuters21578")
    shared_path("corpora", "bbc")
    work = tmp_path_factory.mktemp("scale-work")
    docs = tmp_path_factory.mktemp("scale-docs")
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "scale.py"), "--sizes", "500", "1000",
         "--workers", "2", "--per-file", "250", "--update", "100",
         "--work", str(work), "--docs", str(docs)],
        check=True, cwd=REPO, timeout=600)
    return docs, json.loads((docs / "scale-results.json").read_text())


def test_files_are_written(scale_run) -> None:
    docs, _ = scale_run
    table = (docs / "scale-results.md").read_text()
    assert "| 500 |" in table and "| 1,000 |" in table
    assert "SYNTHETIC" in table
    png = (docs / "scale.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000


def test_numbers_are_sane(scale_run) -> None:
    _, results = scale_run
    for size in (500, 1000):
        build = results[f"build/{size}/w2"]
        assert build["articles"] == size and build["problems"] == 0
        assert build["wall_s"] > 0 and build["bytes"] > 0
        search = results[f"search/{size}"]
        assert search["documents"] == size
        assert 0 < search["p50"] <= search["p95"] <= search["p99"]
        assert search["fts5_queries"] > 40 and search["fts5_p50"] > 0
        assert any(q["total"] > 0 for q in search["per_query"])
        assert 30 < results[f"serve/{size}"]["rss_mb"] < 2000
    update = results["update/1000"]
    assert update["added"] == 100 and update["unchanged"] == 1000
    assert update["server_total_before"] == 1000
    assert update["server_total_after"] == 1100  # the running server saw the new articles


def test_corpus_is_synthetic_and_deterministic(tmp_path: Path) -> None:
    shared = shared_path()
    from bench.make_corpus import write_corpus

    a = write_corpus(30, tmp_path / "a", per_file=20, shared=shared, log=lambda _: None)
    b = write_corpus(20, tmp_path / "b", per_file=20, shared=shared, log=lambda _: None)
    assert [p.name for p in a] == ["part-00000.jsonl", "part-00001.jsonl"]
    assert a[0].read_bytes() == b[0].read_bytes()  # article i does not depend on --size
    records = [json.loads(line) for p in a for line in p.read_text().splitlines()]
    assert len(records) == 30
    assert all(r["synthetic"] is True and r["source_domain"].endswith("synthetic.newsearch")
               for r in records)
    assert all("1987" <= r["date_publish"][:4] <= "2024" for r in records)
    assert "SYNTHETIC" in (tmp_path / "a" / "README.md").read_text()
