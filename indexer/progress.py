"""A progress bar for indexing on a terminal, silent when output is not a TTY."""

from __future__ import annotations

import sys

from tqdm import tqdm


class FileProgress:
    """Counts files as the indexer finishes them; a no-op off a terminal."""

    def __init__(self) -> None:
        self.bar: tqdm | None = None

    def start(self, total: int) -> None:
        if sys.stderr.isatty():
            self.bar = tqdm(total=total, unit="file", desc="Indexing", file=sys.stderr,
                            leave=False)

    def advance(self, _rel: str) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def __enter__(self) -> FileProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
