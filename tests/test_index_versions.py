"""An index built by another version of newsearch: every command says that ``--rebuild`` is
needed, and how, instead of crashing or silently rebuilding (paperless-ngx users lost
their index to silent forced reindexes); ``--rebuild`` then mends it, on both engines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from indexer.cli import main
from indexer.search.engine import is_server
from tests.serving import free_port

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def pretend_another_version(location: str) -> None:
    """Mark the index as written by the schema version before this one."""
    if is_server(location):
        from indexer.engines.opensearch.client import connect, parse_location
        from indexer.engines.opensearch.mapping import SCHEMA_VERSION

        place = parse_location(location)
        connect(place).indices.put_mapping(
            index=place.name, body={"_meta": {"newsearch_schema": SCHEMA_VERSION - 1}})
        return
    from indexer.engines.whoosh.schema import SCHEMA_VERSION
    from indexer.engines.whoosh.store import read_meta, write_meta

    meta = read_meta(Path(location))
    write_meta(Path(location), {**meta, "schema_version": SCHEMA_VERSION - 1})


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_another_versions_index_asks_for_a_rebuild_then_works(writable_location: str) -> None:
    location = writable_location
    assert run("index", str(CORPUS), "--index", location).exit_code == 0
    pretend_another_version(location)
    advice = f"rebuild it with: newsearch index PATH --index {location} --rebuild"

    searched = run("search", "pompeo", "--index", location)
    assert searched.exit_code != 0 and "built by another version of newsearch" in searched.output
    assert advice in searched.output and "Traceback" not in searched.output

    indexed = run("index", str(CORPUS), "--index", location)  # no silent rebuild
    assert indexed.exit_code != 0 and advice in indexed.output, indexed.output
    assert "Traceback" not in indexed.output

    rebuilt = run("index", str(CORPUS), "--index", location, "--rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output
    found = run("search", "pompeo", "--index", location)
    assert found.exit_code == 0 and "Pompeo" in found.output


def test_the_server_refuses_to_start_on_it_with_the_same_advice(writable_location: str) -> None:
    """``newsearch serve`` opens the engine before it listens: it stops there with the
    message, not with a page of errors on every request."""
    location = writable_location
    assert run("index", str(CORPUS), "--index", location).exit_code == 0
    pretend_another_version(location)
    port = free_port()
    # A subprocess with a timeout: a server that started anyway must fail the test, not hang it.
    served = subprocess.run([sys.executable, "-m", "indexer", "serve", "--index", location,
                             "--port", str(port)], capture_output=True, text=True, timeout=120)
    said = served.stdout + served.stderr
    assert served.returncode != 0 and "built by another version of newsearch" in said, said
    assert "--rebuild" in said and "Traceback" not in said
