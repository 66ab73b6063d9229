"""Concurrency: a second indexer waits or exits with a clear message and loses no
update; readers (engine, CLI, web) keep answering from the last committed generation
while a writer commits, and pick up the new one without a restart."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from indexer.engines.whoosh.engine import WhooshEngine
from indexer.search.model import SearchRequest
from tests import crashkit as ck
from tests.conftest import REPO

QUERIES = ('"second edition"', "oil", "coffee OR cocoa", "")


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """The crash corpus: a v1 index, the v2 source, and the totals each version gives."""
    src, v1_index, clean = ck.build_versions(tmp_path_factory.mktemp("concurrency"))
    old = {q: WhooshEngine(v1_index).search(SearchRequest(query=q)).total for q in QUERIES}
    new = {q: WhooshEngine(clean).search(SearchRequest(query=q)).total for q in QUERIES}
    assert old['"second edition"'] == 0 < new['"second edition"']
    return src, v1_index, old, new, ck.index_state(clean)


def _fresh_v1(versions, tmp_path: Path) -> Path:
    target = tmp_path / "ix"
    ck.copy_index(versions[1], target)
    return target


# -- two writers ------------------------------------------------------------------------


def test_a_second_indexer_exits_with_a_clear_message(tmp_path):
    src = tmp_path / "src"
    ck.write_parts(src, ck.reuters_records(0, 800))  # the lock is held for 5-10 s
    target = tmp_path / "ix"
    first = ck.start(ck.indexer_cmd(src, target), stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True)
    try:
        ck.wait_for(lambda: ck.lock_held(target), 30, "the first indexer to take the lock")
        second = subprocess.run(ck.indexer_cmd(src, target), capture_output=True, text=True,
                                timeout=60, cwd=REPO)
        out, err = first.communicate(timeout=60)
    finally:
        ck.kill_group(first)
    assert first.returncode == 0, err
    assert second.returncode == 3
    assert second.stderr.strip() == (
        f"Error: another newsearch process is writing to {target}; wait for it to finish "
        "(or pass --wait SECONDS)")
    assert len(ck.index_state(target)) == 800


@pytest.mark.parametrize("fresh", [False, True], ids=["existing-index", "new-index"])
def test_two_waiting_indexers_both_land(versions, tmp_path, fresh):
    """Two folders indexed at the same moment with --wait: no LockError, no lost update."""
    src = versions[0]
    other = tmp_path / "other"
    ck.write_parts(other, ck.reuters_records(600, 40))
    target = tmp_path / "ix" if fresh else _fresh_v1(versions, tmp_path)
    procs = [ck.start(ck.indexer_cmd(folder, target, "--wait", "120"), stdout=subprocess.PIPE,
                      stderr=subprocess.PIPE, text=True) for folder in (src, other)]
    try:
        results = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            ck.kill_group(p)
    for proc, (_, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "Traceback" not in err and "LockError" not in err
    state = ck.index_state(target)
    assert set(versions[4]) | {f"reuters-{n}" for n in range(601, 641)} == set(state)


# -- readers during a commit ------------------------------------------------------------


class Hammer(threading.Thread):
    """Runs ``call`` in a loop until stopped, keeping every result and error."""

    def __init__(self, call) -> None:
        super().__init__(daemon=True)
        self.call = call
        self.results: list[object] = []
        self.errors: list[BaseException] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.results.append(self.call())
            except BaseException as exc:  # noqa: BLE001 - every failure is a finding
                self.errors.append(exc)

    def finish(self) -> None:
        self.stop.set()
        self.join(timeout=60)


def _update_in_background(src: Path, target: Path) -> subprocess.Popen:
    return ck.start(ck.indexer_cmd(src, target), stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE, text=True)


def test_engine_answers_from_a_committed_state_during_an_update(versions, tmp_path):
    src, _, old, new, _ = versions
    target = _fresh_v1(versions, tmp_path)
    live = WhooshEngine(target, refresh_seconds=0)  # reopens on every new generation
    pinned = WhooshEngine(target, refresh_seconds=3600)  # keeps its first snapshot
    first_gen = live.generation

    def one_round():
        totals = {q: live.search(SearchRequest(query=q)).total for q in QUERIES}
        assert live.article("reuters-5") is not None
        return totals

    hammers = [Hammer(one_round), Hammer(lambda: pinned.search(
        SearchRequest(query='"second edition" OR oil')).total)]
    for h in hammers:
        h.start()
    writer = _update_in_background(src, target)
    out, err = writer.communicate(timeout=120)
    time.sleep(0.3)
    for h in hammers:
        h.finish()
    assert writer.returncode == 0, err
    assert [repr(e) for h in hammers for e in h.errors] == []
    rounds = hammers[0].results
    assert len(rounds) >= 5
    # Each call answers from one committed generation (a round is several calls, so the
    # generation may change between them, never within one, and never back).
    for q in QUERIES:
        answers = [r[q] for r in rounds]
        assert all(a in (old[q], new[q]) for a in answers), (q, answers)
        seen = [a == new[q] != old[q] for a in answers]
        assert seen == sorted(seen), (q, answers)
    assert rounds[-1] == new and live.generation > first_gen
    # The pinned reader's old segment files were deleted by the commit's merge; it still
    # answers from its snapshot (open files), until it refreshes.
    assert set(hammers[1].results) == {old["oil"]}
    assert pinned.article("reuters-5") is not None
    assert len(rounds) + len(hammers[1].results) > 0


@pytest.mark.slow
def test_cli_searches_during_an_update_see_old_or_new(versions, tmp_path):
    src, _, old, new, _ = versions
    target = _fresh_v1(versions, tmp_path)

    def cli_search():
        proc = subprocess.run([sys.executable, "-m", "indexer", "search", "oil", "--index",
                               str(target), "--format", "json"], capture_output=True,
                              text=True, timeout=60, cwd=REPO)
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
        return json.loads(proc.stdout)["total"]

    hammer = Hammer(cli_search)
    hammer.start()
    time.sleep(0.5)
    writer = _update_in_background(src, target)
    _, err = writer.communicate(timeout=120)
    time.sleep(1.5)  # at least one search after the commit
    hammer.finish()
    assert writer.returncode == 0, err
    assert [repr(e) for e in hammer.errors] == []
    assert set(hammer.results) <= {old["oil"], new["oil"]} and hammer.results[-1] == new["oil"]


def test_web_app_serves_during_an_update_and_picks_up_the_new_generation(versions, tmp_path):
    webapp = pytest.importorskip("webapp")
    src, _, old, new, _ = versions
    target = _fresh_v1(versions, tmp_path)
    app = webapp.create_app({"INDEX_DIR": str(target), "TESTING": True})

    def get_total():
        with app.test_client() as client:  # one client per call: thread-safe
            response = client.get("/api/search", query_string={"q": '"second edition"'})
            assert response.status_code == 200, response.data[:300]
            page = client.get("/article/reuters-5")
            assert page.status_code == 200
            return response.get_json()["total"]

    assert get_total() == old['"second edition"']
    hammers = [Hammer(get_total) for _ in range(2)]
    for h in hammers:
        h.start()
    writer = _update_in_background(src, target)
    _, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    waited = ck.wait_for(lambda: get_total() == new['"second edition"'], 10,
                         "the web app to serve the new generation")
    for h in hammers:
        h.finish()
    assert [repr(e) for h in hammers for e in h.errors] == []
    totals = [t for h in hammers for t in h.results]
    assert set(totals) <= {old['"second edition"'], new['"second edition"']}
    assert waited < 5  # the engine checks the generation at least every second
