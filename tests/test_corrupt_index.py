"""A damaged index: every command names the broken file, says how to rebuild, exits 3.

Each test damages a copy of the bundled corpus index the way a crash of the disk or a
careless copy does: a segment truncated to 0 bytes or to 800,000 bytes (of 0.9 MB),
the table of contents cut in half, newsearch.json garbled. These used to give struct.error
or UnpicklingError tracebacks, a bare "Aborted!", or "built by another version". Damage
inside a file (garbage over the postings or the stored fields, sizes intact) is only found
when a search reads it: the search must then give the same kind of message.
"""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage

from indexer.cli import main
from tests.conftest import REPO

ARTICLE = "kono-pompeo-amman.txt"
COMMANDS = {
    "stats": ["stats"],
    "search": ["search", "missile"],
    "show": ["show", ARTICLE],
    "related": ["related", ARTICLE],
    "optimize": ["optimize"],
    "index": ["index", str(REPO / "corpus")],
}


def _segment(index_dir: Path) -> Path:
    [segment] = index_dir.glob("MAIN_*.seg")
    return segment


def _truncate(path: Path, size: int) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(size)


def _damage(index_dir: Path, kind: str) -> str:
    """Damage the index in place; returns the name of the file a user must be told about."""
    if kind == "segment-empty":
        _truncate(_segment(index_dir), 0)
        return _segment(index_dir).name
    if kind == "segment-800kb":
        assert _segment(index_dir).stat().st_size > 800_000
        _truncate(_segment(index_dir), 800_000)
        return _segment(index_dir).name
    if kind == "toc":
        toc = index_dir / "_MAIN_1.toc"
        _truncate(toc, toc.stat().st_size // 2)
        return toc.name
    (index_dir / "newsearch.json").write_text('{"schema_version": 3, "roo')
    return "newsearch.json"


DAMAGE = ["segment-empty", "segment-800kb", "toc", "meta"]


@pytest.fixture
def damaged_copy(corpus_index, tmp_path):
    def make(kind: str) -> tuple[Path, str]:
        target = tmp_path / kind
        shutil.copytree(corpus_index, target)
        return target, _damage(target, kind)
    return make


def _run(args: list[str], index_dir: Path):
    return CliRunner().invoke(main, [*args, "--index", str(index_dir)])


def _assert_damage_message(result, index_dir: Path, name: str) -> None:
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert f"Error: the index at {index_dir} is damaged: {name} is truncated or garbled" \
        in result.output
    assert f"rebuild it with: newsearch index PATH --index {index_dir} --rebuild" \
        in result.output


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", DAMAGE)
def test_every_command_names_the_damaged_file_and_exits_3(damaged_copy, kind, command):
    index_dir, name = damaged_copy(kind)
    _assert_damage_message(_run(COMMANDS[command], index_dir), index_dir, name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("kind", DAMAGE)
def test_serve_refuses_a_damaged_index_at_start(damaged_copy, kind):
    index_dir, name = damaged_copy(kind)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "indexer", "serve", "--index", str(index_dir),
             "--port", str(_free_port())], capture_output=True, text=True, timeout=60,
            cwd=REPO)
    except subprocess.TimeoutExpired:
        pytest.fail("serve started on a damaged index instead of refusing it")
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{name} is truncated or garbled" in proc.stderr and "--rebuild" in proc.stderr


@pytest.mark.parametrize("kind", DAMAGE)
def test_rebuild_repairs_a_damaged_index(damaged_copy, kind):
    index_dir, _ = damaged_copy(kind)
    result = _run(["index", str(REPO / "corpus"), "--rebuild"], index_dir)
    assert result.exit_code == 0, result.output
    assert "13 documents in the index" in result.output
    search = _run(["search", "pompeo", "--format", "json"], index_dir)
    assert search.exit_code == 0 and ARTICLE in search.output
    assert len(list(index_dir.glob("MAIN_*.seg"))) == 1  # the damaged segment is gone


def _garble_subfile(index_dir: Path, suffix: str) -> None:
    """Overwrite the middle of one sub-file of the compound segment with seeded garbage,
    keeping every size and header: nothing is wrong until that part is read."""
    storage = FileStorage(str(index_dir), supports_mmap=False)
    compound = CompoundStorage(storage.open_file(_segment(index_dir).name), use_mmap=False)
    [info] = [v for k, v in compound._dir.items() if k.endswith(suffix)]
    compound.close()
    start, length = info["offset"] + 64, info["length"] - 128
    rnd = random.Random(17)
    with open(_segment(index_dir), "r+b") as fh:
        fh.seek(start)
        fh.write(bytes(rnd.randrange(256) for _ in range(length)))


@pytest.mark.parametrize("part", [".pst", "_stored.col"], ids=["postings", "stored-fields"])
def test_damage_found_while_searching_gives_the_message(corpus_index, tmp_path, part):
    index_dir = tmp_path / "ix"
    shutil.copytree(corpus_index, index_dir)
    _garble_subfile(index_dir, part)
    for args in (["search", "missile"], ["show", ARTICLE]):
        result = _run(args, index_dir)
        assert isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code == 3, result.output
        assert "is damaged: a segment file is truncated or garbled" in result.output
        assert "--rebuild" in result.output
    from webapp import create_app

    client = create_app({"INDEX_DIR": str(index_dir)}).test_client()
    page = client.get("/?q=missile")
    assert page.status_code == 503 and b"--rebuild" in page.data
    api = client.get("/api/search?q=missile")
    assert api.status_code == 503 and "--rebuild" in api.get_json()["error"]["message"]
