"""Writing a segment's postings a term at a time, for ``ArrayCodec``.

Whoosh's ``FieldWriter.add_postings`` hands every posting to the postings writer one at a
time: a ``doc_field_length`` look-up, type asserts and appends per posting, then the
block's statistics gathered one posting at a time again in the term info. That loop was
the largest single part of a build: 37% of a profiled one (2,000 Reuters articles,
``add_postings`` 17.1 of 46.5 s; docs/scaling.md §7). ``ArrayFieldWriter`` takes each
term's postings as ``pool.TermPool`` keeps them (or groups another pool's sorted postings
by term), reads each field's lengths once as an array, and writes each term's blocks from
slices of its postings.

It writes the same bytes as Whoosh's loop through ``ArrayPostingsWriter``: the same
blocks, block infos and term infos (``tests/test_whoosh_bulk_postings.py`` compares the
files of a segment written both ways). The term table is Whoosh's ``OrderedHashWriter``
file, written by ``TermTable`` without a system call a term.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from hashlib import md5
from itertools import groupby

from whoosh.codec.base import OutOfOrderError
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3FieldWriter, W3TermInfo, _lenfield
from whoosh.filedb.filetables import OrderedHashWriter, _lengths, _pointer
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length

from indexer.engines.whoosh.pool import TERM_KEY

#: Each length byte's length, as ``W3PerDocReader.doc_field_length`` reads it (0: none).
_BYTE_LENGTH = [byte_to_length(b) for b in range(256)]


def _field_lengths(lengths: object, fieldname: str) -> list[int] | None:
    """Every document's length in ``fieldname`` (0 where none), or None when the field
    keeps no lengths: one column read a field instead of a look-up a posting."""
    if lengths is None:
        return None
    reader = lengths._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if reader is None:
        return None
    return [_BYTE_LENGTH[b] for b in reader]


def _md5_slot_hash(key: bytes) -> int:
    """Whoosh's ``md5_hash`` (the low 32 bits of the key's MD5) from the digest's last
    four bytes, not by parsing its hex form."""
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")


class TermTable(OrderedHashWriter):
    """Whoosh's term table writer, writing the same file, but keeping the file's offset
    itself: Whoosh asks the file (``tell``, a system call on a buffered file) twice a
    term, which py-spy put at a fifth of a sub-writer's commit (451,567 terms in a
    Reuters index: the LSH bands, the moments' range terms, the ids). Only this writer
    writes its file between its header and its hash tables."""

    def __init__(self, dbfile: object) -> None:
        super().__init__(dbfile)
        if self.hashfn.__name__ != "md5_hash":
            raise ValueError(f"TermTable writes MD5 hashes only, not {self.hashfn.__name__}")
        self.hashfn = _md5_slot_hash
        self._end = dbfile.tell()

    def add(self, key: bytes, value: bytes) -> None:
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        pos = self._end
        self.index.append(pos)
        self.dbfile.write(_lengths.pack(len(key), len(value)) + key + value)
        h = _md5_slot_hash(key)
        self.buckets[h & 255].append((h, pos))
        self._end = pos + _lengths.size + len(key) + len(value)
        self.lastkey = key

    def _write_hashes(self) -> None:
        """Whoosh's 256 hash tables, each table in one write (Whoosh writes a slot at a
        time)."""
        dbfile, null = self.dbfile, (0, 0)
        for entries in self.buckets:
            numslots = 2 * len(entries)
            self.directory.append((dbfile.tell(), numslots))
            table = [null] * numslots
            for hashval, position in entries:
                slot = (hashval >> 8) % numslots
                while table[slot] != null:
                    slot = (slot + 1) % numslots
                table[slot] = (hashval, position)
            dbfile.write(b"".join(_pointer.pack(*entry) for entry in table))


class ArrayFieldWriter(W3FieldWriter):
    """``W3FieldWriter`` that writes each term's postings in one call (module docstring)."""

    def __init__(self, codec: object, storage: object, segment: object) -> None:
        """Whoosh's, with ``TermTable`` writing the term table (W3's makes its own
        ``OrderedHashWriter`` inline, so its steps are repeated here)."""
        self._codec, self._storage, self._segment = codec, storage, segment
        self._fieldname = self._fieldid = self._btext = self._fieldobj = self._format = None
        self._tindex = TermTable(self._create_file(W3Codec.TERMS_EXT))
        self._fieldmap = self._tindex.extras["fieldmap"] = {}
        self._postfile = self._create_file(W3Codec.POSTS_EXT)
        self._postwriter = None
        self._infield = False
        self.is_closed = False

    def add_postings(self, schema: object, lengths: object, items: Iterable[tuple]) -> None:
        """Whoosh's ``FieldWriter.add_postings`` (the same order checks, the same files), a
        term at a time: ``items`` are the pool's sorted (field, text, docnum, weight,
        value), or a ``TermPool``'s terms, each with its postings' lists already
        (``pool.PooledTerms``). (Whoosh's skip of document -1, a spelling-graph marker,
        is gone with the word graph: no Whoosh 2.7 code adds one.)"""
        by_term = getattr(items, "by_term", None)
        terms = by_term() if by_term is not None else _grouped(items)
        lastfn = lasttext = field_lengths = None
        for fieldname, btext, ids, weights, values in terms:
            if fieldname != lastfn:
                if lastfn is not None:
                    if fieldname < lastfn:
                        raise OutOfOrderError(f"Field {lastfn!r} .. {fieldname!r}")
                    self.finish_field()
                lastfn, lasttext = fieldname, None
                self.start_field(fieldname, schema[fieldname])
                field_lengths = _field_lengths(lengths, fieldname)
                write_term = self._postwriter.write_term
            elif btext < lasttext:
                raise OutOfOrderError(f"Term {fieldname}:{lasttext!r} .. {fieldname}:{btext!r}")
            lasttext = btext
            term_lengths = (None if field_lengths is None
                            else [field_lengths[docnum] for docnum in ids])
            terminfo = write_term(self._format, W3TermInfo(), ids, weights, values, term_lengths)
            self._tindex.add(pack_ushort(self._fieldid) + btext, terminfo.to_bytes())
        if lastfn is not None:
            self.finish_field()


def _grouped(items: Iterable[tuple]) -> Iterator[tuple]:
    """Sorted (field, text, docnum, weight, value) postings as one (field, text, docnums,
    weights, values) a term."""
    for (fieldname, btext), postings in groupby(items, key=TERM_KEY):
        _, _, ids, weights, values = zip(*postings, strict=True)
        yield fieldname, btext, ids, weights, values
