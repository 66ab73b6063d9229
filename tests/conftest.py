"""Shared fixtures: temporary indexes built from real articles.

``../shared`` holds the real corpora beside the repository; tests that need them skip
with a message when it is absent. Indexes are built once per session and shared.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.build import build_index

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"
SAMPLE = SHARED / "samples" / "kono-pompeo-amman.txt"
REUTERS_FILES = ("reut2-000.sgm", "reut2-001.sgm", "reut2-002.sgm")


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when the data is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path} (../shared is absent)")
    return path


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the bundled corpus/ folder (no ../shared needed)."""
    target = tmp_path_factory.mktemp("corpus-index")
    build_index([REPO / "corpus"], target)
    return target


@pytest.fixture(scope="session")
def bbc_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All 2,225 BBC articles (no dates; used for text, entity and duplicate tests)."""
    source = shared_path("corpora", "bbc")
    target = tmp_path_factory.mktemp("bbc-index")
    build_index([source], target, workers=2)
    return target


@pytest.fixture(scope="session")
def reuters_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 3,000 Reuters-21578 articles (dated 26 Feb - 9 Mar 1987) in a temp folder."""
    source = shared_path("corpora", "reuters21578")
    folder = tmp_path_factory.mktemp("reuters-subset")
    for name in REUTERS_FILES:
        shutil.copy(source / name, folder / name)
    return folder


@pytest.fixture(scope="session")
def reuters_index(reuters_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the Reuters subset, shared by API, CLI, web and browser tests."""
    target = tmp_path_factory.mktemp("reuters-index")
    build_index([reuters_dir], target, workers=2)
    return target
