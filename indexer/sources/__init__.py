"""Readers: one per input format, each turning a file into Articles and Problems.

``discover`` walks the folders the user named and decides which reader reads each file
(or honours ``--format``); ``read_file`` runs that reader and turns every failure into a
Problem, so one bad file never stops a run.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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


@dataclass
class Discovery:
    """What a walk found: the files to read, the problems met, and the folders and files
    that exist but could not be read (their articles are kept: they are not gone)."""

    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreadable: list[Path] = field(default_factory=list)


def discover(paths: list[Path], fmt: str | None = None) -> Discovery:
    """All article files under ``paths``, sorted, with problems met while walking.

    Symlinked folders are followed once; a link that leads back into a folder already
    walked (a loop) is reported instead of followed. A folder that cannot be listed or
    entered is reported and its subtree recorded in ``unreadable``, so that the indexer
    does not take its files for deleted ones.
    """
    found = Discovery()
    for root in paths:
        if not root.exists():
            found.problems.append(Problem(str(root), "missing", "no such file or folder"))
            continue
        if root.is_file():
            kind = fmt or detect_format(root, frozenset(p.name for p in root.parent.iterdir()))
            found.files.append(SourceFile(root, root.name, kind or "text"))
            continue
        _walk(root, fmt, found)
    return found


def _walk(root: Path, fmt: str | None, found: Discovery) -> None:
    seen: set[tuple[int, int]] = set()

    def unreadable(dirpath: str, reason: str) -> None:
        found.problems.append(Problem(os.path.relpath(dirpath, root), "unreadable-folder",
                                      f"{reason}; its articles are kept from earlier runs"))
        found.unreadable.append(Path(dirpath).absolute())

    def listing_failed(exc: OSError) -> None:
        unreadable(str(exc.filename), f"cannot list the folder ({exc.strerror or exc})")

    for dirpath, dirnames, filenames in os.walk(root, onerror=listing_failed, followlinks=True):
        try:
            # "dir/." needs search (x) permission: a folder that can be listed but not
            # entered (mode 644) fails here, not later on each of its files.
            st = os.stat(os.path.join(dirpath, "."))
        except OSError as exc:
            unreadable(dirpath, f"cannot enter the folder ({exc.strerror or exc})")
            dirnames[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            found.problems.append(Problem(os.path.relpath(dirpath, root), "symlink-loop",
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
            problem = _not_a_file(path, rel)
            if problem is not None:
                found.problems.append(problem)
                if problem.kind == "unreadable":
                    found.unreadable.append(path.absolute())
                continue
            kind = detect_format(path, names)
            if kind is not None:
                found.files.append(SourceFile(path, rel, fmt or kind))


def _not_a_file(path: Path, rel: str) -> Problem | None:
    """Why a folder entry cannot be read as a file, or None when it is a regular file."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return Problem(rel, "broken-link", "link to a missing file")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Problem(rel, "symlink-loop", "the link leads back to itself (a loop)")
        return Problem(rel, "unreadable", exc.strerror or str(exc))
    if not stat.S_ISREG(st.st_mode):
        return Problem(rel, "not-a-file", "not a regular file (FIFO, socket or device)")
    return None


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
