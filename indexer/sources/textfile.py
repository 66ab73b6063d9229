"""Turning file bytes into text, or into a reason why not.

Every reader goes through here so that binary, empty, truncated and mis-encoded files
are judged the same way whatever their format.
"""

from __future__ import annotations

import os
import stat
import zlib
from pathlib import Path

from indexer.article import Problem

MAX_FILE_BYTES = 64 * 1024 * 1024


class ReadError(Exception):
    """A file that cannot be indexed; ``kind`` groups problems in the run summary."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def read_bytes(path: Path) -> bytes:
    """Read a file (gunzipping ``.gz``), refusing what cannot be an article.

    Only regular files are read (a FIFO or device would block or never end), and a
    ``.gz`` is inflated in steps so that a small "gzip bomb" never fills memory.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                raise ReadError("unreadable", "is a directory")
            if not stat.S_ISREG(st.st_mode):
                raise ReadError("not-a-file", "not a regular file (FIFO, socket or device)")
            if st.st_size > MAX_FILE_BYTES:
                raise ReadError("too-large",
                                f"{st.st_size:,} bytes is over the {MAX_FILE_BYTES:,}-byte limit")
            with os.fdopen(fd, "rb", closefd=False) as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise ReadError("vanished", "file disappeared before it could be read") from None
    except PermissionError:
        raise ReadError("unreadable", "permission denied") from None
    except IsADirectoryError:
        raise ReadError("unreadable", "is a directory") from None
    except OSError as exc:
        raise ReadError("unreadable", exc.strerror or str(exc)) from None
    if len(data) > MAX_FILE_BYTES:
        raise ReadError("too-large", f"grew over the {MAX_FILE_BYTES:,}-byte limit while read")
    if path.name.endswith(".gz"):
        data = _gunzip(data)
    return data


def _gunzip(data: bytes) -> bytes:
    """Inflate gzip data (all members), refusing output over MAX_FILE_BYTES."""
    out: list[bytes] = []
    size = 0
    try:
        while data:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            chunk = inflater.decompress(data, MAX_FILE_BYTES + 1 - size)
            while True:
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise ReadError("too-large",
                                    f"uncompressed size is over {MAX_FILE_BYTES:,} bytes")
                out.append(chunk)
                if not inflater.unconsumed_tail:
                    break
                chunk = inflater.decompress(inflater.unconsumed_tail, MAX_FILE_BYTES + 1 - size)
            if not inflater.eof:
                raise ReadError("truncated", "broken gzip data (unexpected end of data)")
            data = inflater.unused_data.lstrip(b"\0")
    except zlib.error as exc:
        raise ReadError("truncated", f"broken gzip data ({exc})") from None
    return b"".join(out)


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode article bytes as UTF-8, falling back to Windows-1252 for stray legacy bytes.

    Returns the text and a warning when the fallback was needed: old archives often hold
    one latin-1 byte in an otherwise UTF-8 file (BBC ``sport/199.txt``), and dropping the
    whole article for it would lose more than it protects.
    """
    if not data.strip():
        raise ReadError("empty", "file is empty")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("binary", "contains NUL bytes; not a text file")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        where = exc.start
    text = data.decode("cp1252", errors="replace")
    if _looks_binary(text):
        raise ReadError("binary", "not text in UTF-8 or Windows-1252")
    return text, f"not valid UTF-8 (byte 0x{data[where]:02X} at offset {where}); read as Windows-1252"


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f") + sample.count("\ufffd")
    return controls > max(8, len(sample) // 50)


def read_text(path: Path, rel: str) -> tuple[str, list[Problem]]:
    """``read_bytes`` then ``decode``: a file's text, and a warning Problem if its
    encoding needed the fallback (the article is still indexed)."""
    text, warning = decode(read_bytes(path))
    return text, [Problem(rel, "encoding", warning, skipped=False)] if warning else []
