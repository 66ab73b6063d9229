"""Whoosh's own on-disk format (``W3Codec``), written without a file-system call per posting.

When a segment's postings are written (at every commit, and in every merge), Whoosh asks
the segment's per-document reader for each posting's field length. For a field that
stores no lengths (the keyword, id and MinHash-band fields: most postings of a news
article) ``W3PerDocReader._cached_reader`` remembers nothing and asks the storage whether
the length column exists, one ``stat`` per posting: 246,000 of them for 2,000 Reuters
articles, about a sixth of that build. Here the answer "no such column" is remembered too.

The files written are byte for byte what ``W3Codec`` writes, and the segments say
``W3Codec``, so Whoosh's own searcher and newsearch from before this module read them as
any other index (tests/test_whoosh_codec.py).
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3Segment


class _LengthsReader(W3PerDocReader):
    """A per-document reader that also remembers which length columns are absent."""

    def _cached_reader(self, fieldname: str, column: object) -> object:
        if fieldname not in self._readers and not self.has_column(fieldname):
            self._readers[fieldname] = None  # the base class returns a cached None as is
        return super()._cached_reader(fieldname, column)


class NewsCodec(W3Codec):
    """``W3Codec`` with the remembering per-document reader; pass it to ``ix.writer``."""

    def per_document_reader(self, storage: object, segment: object) -> W3PerDocReader:
        return _LengthsReader(storage, segment)

    def new_segment(self, storage: object, indexname: str) -> W3Segment:
        """A segment that names plain ``W3Codec``: the table of contents pickles each
        segment's codec, and a reader without this package must still open the index."""
        return W3Segment(W3Codec(blocklimit=self._blocklimit, compression=self._compression,
                                 inlinelimit=self._inlinelimit), indexname)
