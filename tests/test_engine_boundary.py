"""The engine boundary, as a newcomer reads it from the folders: Whoosh is used only in
``indexer/engines/whoosh/`` (plus the shared analyzer and the query parser, which feed both
engines), OpenSearch only in ``indexer/engines/opensearch/``, and the CLI and the web app
import no engine module at all: they open one through ``indexer.search.engine``."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

SHARED_WHOOSH = {"indexer/analysis.py", "indexer/search/query.py"}


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def modules(*folders: str) -> list[Path]:
    return [p for folder in folders for p in sorted((REPO / folder).rglob("*.py"))]


def rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def test_whoosh_is_used_only_inside_its_engine():
    outside = [rel(p) for p in modules("indexer", "webapp")
               if not rel(p).startswith("indexer/engines/whoosh/") and rel(p) not in SHARED_WHOOSH
               and any(m == "whoosh" or m.startswith("whoosh.") for m in imports(p))]
    assert outside == []


def test_opensearch_is_used_only_inside_its_engine():
    outside = [rel(p) for p in modules("indexer", "webapp")
               if not rel(p).startswith("indexer/engines/opensearch/")
               and any(m.startswith("opensearchpy") for m in imports(p))]
    assert outside == []


def test_the_cli_and_the_web_app_import_no_engine_module():
    shells = modules("webapp") + [REPO / "indexer" / "cli.py"]
    leaks = {rel(p): sorted(m for m in imports(p) if m.startswith("indexer.engines"))
             for p in shells}
    assert {k: v for k, v in leaks.items() if v} == {}
