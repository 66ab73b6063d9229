"""Readers: one per input format, each turning a file into Articles and Problems.

``discover`` walks the folders the user named and decides which reader reads each file
(or honours ``--format``); ``read_file`` runs that reader and turns every failure into a
Problem, so one bad file never stops a run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer.article import Article, Problem
from indexer.sources.bbc import is_bbc_file, read_bbc
from indexer.sources.html import read_html
from indexer.sources.jsonfiles import read_json
from indexer.sources.plaintext import read_plaintext
from indexer.sources.reuters import read_reuters
from indexer.sources.textfile import ReadError

Reader = Callable[[Path, str], Iterator["Article | Problem"]]

READERS: dict[str, Reader] = {
    "text": read_plaintext,
    "reuters": read_reuters,
    "bbc": read_bbc,
    "json": read_json,
    "html": read_html,
}
FORMATS = tuple(READERS)

# Files that describe a collection rather than belong to it.
_DOC_NAMES = re.compile(
    r"^(readme|license|licence|copying|changelog|source|sha\d*sums|md5sums|manifest)"
    r"(\.(md|txt|rst|tsv))?$", re.IGNORECASE)  # SOURCE.md is documentation, source.html is not
_REUTERS_FILE = re.compile(r"^reut2-\d+\.sgml?$", re.IGNORECASE)
_BY_SUFFIX = {
    ".sgm": "reuters", ".sgml": "reuters",
    ".json": "json", ".jsonl": "json", ".ndjson": "json",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".txt": "text", ".text": "text",
}


@dataclass(frozen=True)
class SourceFile:
    """A file to index: where it is, its id prefix (path relative to the root), its format."""

    path: Path
    rel: str
    format: str

    @property
    def key(self) -> str:
        """The file's identity in the index: its absolute path (ids stay relative)."""
        return str(self.path.absolute())


def _suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return os.path.splitext(name)[1]


def detect_format(path: Path, siblings: frozenset[str] = frozenset()) -> str | None:
    """The reader for one file, or None for files that are not articles.

    ``siblings`` are the names in the same folder: a folder of ``reut2-NNN.sgm`` files
    is the Reuters distribution, whose ``.txt`` files are documentation, and ``name.json`` next
    to ``name.txt`` is that page's metadata sidecar.
    """
    if _DOC_NAMES.match(path.name):
        return None
    suffix = _suffix(path)
    fmt = _BY_SUFFIX.get(suffix)
    if fmt == "text":
        if is_bbc_file(path):
            return "bbc"
        if any(_REUTERS_FILE.match(s) for s in siblings):
            return None  # README.txt and the category lists of the Reuters distribution
    if fmt == "json" and suffix == ".json" and f"{path.stem}.txt" in siblings:
        return None
    return fmt


def discover(paths: list[Path], fmt: str | None = None) -> tuple[list[SourceFile], list[Problem]]:
    """All article files under ``paths``, sorted, with problems met while walking.

    Symlinked folders are followed once; a link that leads back into a folder already
    walked (a loop) is reported instead of followed.
    """
    files: list[SourceFile] = []
    problems: list[Problem] = []
    for root in paths:
        if not root.exists():
            problems.append(Problem(str(root), "missing", "no such file or folder"))
            continue
        if root.is_file():
            found = fmt or detect_format(root, frozenset(p.name for p in root.parent.iterdir()))
            files.append(SourceFile(root, root.name, found or "text"))
            continue
        seen: set[tuple[int, int]] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            st = os.stat(dirpath)
            if (st.st_dev, st.st_ino) in seen:
                problems.append(Problem(os.path.relpath(dirpath, root), "symlink-loop",
                                        "folder link points back into a folder already read"))
                dirnames[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            names = frozenset(filenames)
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = Path(dirpath) / name
                rel = path.relative_to(root).as_posix()
                if not path.exists():
                    problems.append(Problem(rel, "broken-link", "link to a missing file"))
                    continue
                if not path.is_file():
                    problems.append(Problem(rel, "not-a-file",
                                            "not a regular file (FIFO, socket or device)"))
                    continue
                found = detect_format(path, names)
                if found is not None:
                    files.append(SourceFile(path, rel, fmt or found))
    return files, problems


def read_file(source: SourceFile) -> Iterator[Article | Problem]:
    """Run a file's reader; every failure becomes a Problem, never an exception.

    Articles are only yielded when the whole file was read, so a file that fails half
    way contributes no partial documents.
    """
    items: list[Article | Problem] = []
    try:
        for item in READERS[source.format](source.path, source.rel):
            if isinstance(item, Article) and item.extra.get("warning"):
                items.append(Problem(item.path or source.rel, "date", item.extra["warning"],
                                     skipped=False))
            items.append(item)
    except ReadError as exc:
        yield Problem(source.rel, exc.kind, exc.reason)
        return
    except RecursionError:
        yield Problem(source.rel, "malformed", "structure nested too deeply to read")
        return
    except Exception as exc:  # a reader bug must not stop the run; report it
        yield Problem(source.rel, "error", f"{type(exc).__name__}: {exc}"[:300])
        return
    yield from items
