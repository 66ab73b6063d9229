"""newsearch's Whoosh codec: ``W3Codec`` with posting blocks of plain little-endian arrays.

Whoosh's ``W3Codec`` writes each block of up to 128 postings as the pickle of a tuple
(delta-coded ids, weights, every posting's encoded positions), compressed with zlib. A
search then unpickles and unzips every block of every word it reads, positions included,
even for a plain word that never needs them: 30% of a full search's time on Reuters, 48%
of a top-10-only one (docs/BENCHMARKS.md, issue 16).

``ArrayCodec`` keeps W3's block framing and its pickled per-block info tuple (count, last
id, maximum weight, compression, length bytes), so Whoosh's ``W3LeafMatcher._goto``,
block skipping and block-quality statistics work unchanged; only the block data differs
(``encode_block``):

- a header: the posting count, the gaps' item size, how the weights and values are
  stored, and the first id (``uint32``);
- the ids as gaps from the previous id, the first gap 0, in the smallest unsigned type
  that holds the largest (1, 2 or 4 bytes);
- the weights: nothing when all are 1.0, one ``float32`` when all are equal, ``uint8``
  when all are whole numbers below 256 (term frequencies, nearly always), else
  ``float32`` (W3 keeps ``float32`` too, so every weight reads back exactly as before);
- the values (Whoosh's encoded positions): their lengths in the smallest type (none for a
  fixed-size format) then the bytes, together; zlib-compressed when that makes them
  smaller (measured: docs/BENCHMARKS.md, issue 16), the only compressed part, so a word
  query reads ids and weights with ``np.frombuffer`` and never inflates positions. Since
  format 2 a text field's positions (Whoosh's ``Positions``, which pickles each
  posting's list) are arrays too: each posting's count, then the gaps between positions;
  a phrase or the proximity bonus reads them with one ``cumsum`` a block instead of a
  ``pickle.loads`` a posting;
- a trailer: the data's own length, so newsearch's reader (``read_postings``) finds the
  data from the block's end without unpickling the info tuple.

Whoosh reads it through the sanctioned seam: each segment in the table of contents pickles
the codec that wrote it, and ``postings_reader`` returns ``ArrayLeafMatcher``, a
``W3LeafMatcher`` that decodes these blocks. Segments written before this format name
``W3Codec`` and keep being read as W3; a merge rewrites them in this format. A segment of a
newer format than ``FORMAT_VERSION`` is refused when the index opens
(``store.open_index``), with the command that rebuilds it.

``ArrayCodec`` also gives the writer a per-document reader that remembers which length
columns are absent: for a field without lengths (keywords, ids, MinHash bands: most
postings of an article) Whoosh's ``W3PerDocReader._cached_reader`` asked the storage
once per posting (246,000 ``stat`` calls for 2,000 Reuters articles).
"""

from __future__ import annotations

import pickle
import struct
import sys
import zlib
from array import array
from collections.abc import Sequence

import numpy as np
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3LeafMatcher,
    W3PerDocReader,
    W3PostingsWriter,
    W3Segment,
    W3TermInfo,
)
from whoosh.formats import Positions
from whoosh.matching import ListMatcher
from whoosh.system import pack_int
from whoosh.util.numeric import length_to_byte
from whoosh.util.numlists import delta_encode

from indexer.engines.whoosh.fieldwriter import ArrayFieldWriter

#: The block format this code writes and reads; a segment naming a higher one was written
#: by a later newsearch and is refused with the command that rebuilds the index.
#: 1: values stored as Whoosh encoded them; 2: a text field's positions as arrays.
FORMAT_VERSION = 2

# Block data header: posting count, id gap item size, weights kind, values kind, first id.
_HEADER = struct.Struct("<HBBBI")
_FLOAT32 = struct.Struct("<f")
_TRAILER = struct.Struct("<I")  # the length of the block data, header to trailer
_BLOCK_LENGTH = struct.Struct("!i")  # W3's block framing (StructFile.write_int)
_INT_SIZE = _BLOCK_LENGTH.size

# Weights kinds.
_ONES, _SAME, _SMALL, _FLOATS = range(4)
# Values kinds: no values, fixed-size values (lengths implied), or the item size of the
# lengths array; _ZLIB is or-ed in when the values part is compressed. _POSITIONS (format
# 2): a ``Positions`` field's values as arrays, each posting's count of positions then
# every position's gap from the one before it in its posting, the two item sizes' codes
# (_SIZE_CODE) in bits 0-1 and 2-3.
_NO_VALUES, _FIXED = 0, 8
_POSITIONS = 0x40
_ZLIB = 0x80
_SIZE_CODE = {1: 0, 2: 1, 4: 2}
_CODE_SIZE = {code: size for size, code in _SIZE_CODE.items()}
#: Whoosh's ``Positions`` (a text field's format): its values are ``pack_uint(count)`` then
#: the pickle of the positions' gaps, which ``_gaps`` reads without the running sum.
_WHOOSH_POSITIONS = Positions()
# A values part shorter than this is stored as is: zlib's own header and checksum (6
# bytes) and the call cost more than it saves on a posting or two.
_COMPRESS_FROM = 64

# Item size -> (array typecode, little-endian numpy dtype).
_UNSIGNED = {1: ("B", "<u1"), 2: ("H", "<u2"), 4: ("I", "<u4")}
_BIG_ENDIAN = sys.byteorder == "big"


class BlockFormatError(ValueError):
    """A posting block that does not parse, or names documents the segment lacks: the
    file is damaged (``store.is_damage``; nothing here checksums the data)."""


def _item_size(largest: int) -> int:
    """The smallest unsigned item size (1, 2 or 4 bytes) that holds ``largest``."""
    return 1 if largest < 0x100 else 2 if largest < 0x10000 else 4


def _le_bytes(typecode: str, values) -> bytes:
    """Values as a little-endian array of ``typecode`` (the machine's order otherwise)."""
    a = array(typecode, values)
    if _BIG_ENDIAN:
        a.byteswap()
    return a.tobytes()


def _gaps(value: bytes) -> list[int]:
    """A ``Positions`` value's gaps between positions (the first from 0), as Whoosh 2.7's
    ``Positions.encode`` pickled them (``decode_positions`` sums them up again)."""
    return pickle.loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b".")


def _positions_part(values: list[bytes]) -> tuple[int, bytes]:
    """The values kind and bytes of a block of ``Positions`` values stored as arrays."""
    gaps = [_gaps(v) for v in values]
    counts = [len(g) for g in gaps]
    every = [gap for g in gaps for gap in g]
    count_size, gap_size = _item_size(max(counts)), _item_size(max(every, default=0))
    kind = _POSITIONS | _SIZE_CODE[count_size] | _SIZE_CODE[gap_size] << 2
    return kind, (_le_bytes(_UNSIGNED[count_size][0], counts)
                  + _le_bytes(_UNSIGNED[gap_size][0], every))


def encode_block(ids, weights, values: list[bytes], fixed: bool, level: int,
                 positions: bool = False) -> tuple[bytes, bool]:
    """One block's data (module docstring) and whether its values part is compressed;
    ``positions``: the values are Whoosh ``Positions`` ones, stored as arrays."""
    n = len(ids)
    gaps = list(delta_encode(ids))
    gaps[0] = 0  # the first id is in the header; a 0 here lets a reader cumsum all blocks at once
    id_size = _item_size(max(gaps))
    parts = [b"", _le_bytes(_UNSIGNED[id_size][0], gaps)]
    first = weights[0]
    if all(w == 1.0 for w in weights):
        weights_kind = _ONES
    elif all(w == first for w in weights):
        weights_kind = _SAME
        parts.append(_le_bytes("f", [first]))
    elif all(w.is_integer() and 0 <= w < 0x100 for w in weights):
        weights_kind = _SMALL
        parts.append(bytes(int(w) for w in weights))
    else:
        weights_kind = _FLOATS
        parts.append(_le_bytes("f", weights))
    if not values:
        values_kind, packed = _NO_VALUES, b""
    elif positions:
        values_kind, packed = _positions_part(values)
    elif fixed:
        values_kind, packed = _FIXED, b"".join(values)
    else:
        lengths = [len(v) for v in values]
        values_kind = _item_size(max(lengths))
        packed = _le_bytes(_UNSIGNED[values_kind][0], lengths) + b"".join(values)
    compressed = False
    if level and len(packed) >= _COMPRESS_FROM:
        squeezed = zlib.compress(packed, level)
        if len(squeezed) < len(packed):
            packed, compressed = squeezed, True
            values_kind |= _ZLIB
    parts[0] = _HEADER.pack(n, id_size, weights_kind, values_kind, ids[0])
    parts.append(packed)
    size = sum(map(len, parts)) + _TRAILER.size
    parts.append(_TRAILER.pack(size))
    return b"".join(parts), compressed


class Values:
    """One block's values (Whoosh's encoded positions), left packed until one is asked for;
    then inflated once, and each value sliced out only when asked for.

    A block of positions stored as arrays (``_POSITIONS``) is read, with a few array
    operations, into one list of every posting's positions: a posting's are then a slice
    of it (``positions``), with no unpickling; a phrase check takes the stored counts and
    gaps themselves (``position_gaps``). ``__getitem__`` encodes a value as Whoosh does,
    for Whoosh's own matcher and for merges."""

    __slots__ = ("_n", "_packed", "_kind", "_bounds")

    def __init__(self, n: int, packed: bytes | memoryview, kind: int) -> None:
        self._n, self._packed, self._kind = n, packed, kind
        self._bounds: tuple[bytes | list[int], list[int], list[int]] | None = None

    def __len__(self) -> int:
        return self._n

    def positions(self, i: int) -> list[int]:
        """The ``i``-th posting's positions (its value decoded by Whoosh's ``Positions``)."""
        packed, starts, ends = self._unpacked()
        if self._kind & _POSITIONS:
            return packed[starts[i]:ends[i]]
        return _WHOOSH_POSITIONS.decode_positions(packed[starts[i]:ends[i]])

    def position_gaps(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Each posting's count of positions and then every gap between positions (each
        posting's first from 0), as stored, for a block that stores positions as arrays
        (else None): a reader of a few postings in many blocks sums only theirs, all
        blocks at once, instead of every posting's of each block."""
        if not self._kind & _POSITIONS:
            return None
        packed, kind = self._inflated()
        try:
            counts = np.frombuffer(packed, dtype=_UNSIGNED[_CODE_SIZE[kind & 3]][1], count=self._n)
            gap_size = _CODE_SIZE[kind >> 2 & 3]
            offset = self._n * counts.itemsize
            gaps = np.frombuffer(packed, dtype=_UNSIGNED[gap_size][1], offset=offset,
                                 count=(len(packed) - offset) // gap_size)
        except (KeyError, ValueError) as exc:
            raise BlockFormatError(f"a block's values do not parse: {exc}") from exc
        if len(gaps) != int(counts.sum(dtype=np.int64)):
            raise BlockFormatError(f"a block holds {len(gaps)} positions for {int(counts.sum())}")
        return counts, gaps

    def _inflated(self) -> tuple[bytes | memoryview, int]:
        """The values part and its kind, inflated once if it was compressed."""
        if self._kind & _ZLIB:
            try:
                self._packed = zlib.decompress(self._packed)
            except zlib.error as exc:
                raise BlockFormatError(f"a block's values do not parse: {exc}") from exc
            self._kind &= ~_ZLIB
        return self._packed, self._kind

    def _unpacked(self) -> tuple[bytes | list[int], list[int], list[int]]:
        """The values' bytes, inflated, with each value's start and end in them (for
        positions stored as arrays: every posting's positions, one after the other)."""
        if self._bounds is None:
            try:
                self._bounds = self._read()
            except BlockFormatError:
                raise
            except (KeyError, ValueError, IndexError) as exc:
                raise BlockFormatError(f"a block's values do not parse: {exc}") from exc
        return self._bounds

    def _read(self) -> tuple[bytes | list[int], list[int], list[int]]:
        (packed, kind), n = self._inflated(), self._n
        if kind & _POSITIONS:
            return _running_positions(*self.position_gaps())
        packed = bytes(packed)
        if kind == _NO_VALUES:
            starts = ends = []
        elif kind == _FIXED:
            size = len(packed) // n
            starts = list(range(0, len(packed), size))
            ends = [start + size for start in starts]
        else:
            lengths = np.frombuffer(packed, dtype=_UNSIGNED[kind][1], count=n)
            last = np.cumsum(lengths, dtype=np.int64) + n * kind
            starts, ends = (last - lengths).tolist(), last.tolist()
        return packed, starts, ends

    def __getitem__(self, i: int) -> bytes:
        if self._kind & _POSITIONS:
            return _WHOOSH_POSITIONS.encode(self.positions(i))
        packed, starts, ends = self._unpacked()
        return packed[starts[i]:ends[i]]

    def split(self) -> list[bytes]:
        """Every posting's value bytes."""
        if self._kind & _POSITIONS:
            return [self[i] for i in range(self._n)]
        packed, starts, ends = self._unpacked()
        return [packed[s:e] for s, e in zip(starts, ends, strict=True)]


def _running_positions(counts: np.ndarray, gaps: np.ndarray) -> tuple[list[int], list[int], list[int]]:
    """A ``_POSITIONS`` values part: every posting's positions one after the other
    (the running sum of the gaps, less the sum before each posting's first), and each
    posting's start and end among them."""
    ends = np.cumsum(counts, dtype=np.int64)
    starts = ends - counts
    running = np.cumsum(gaps, dtype=np.int64)
    if len(running):
        running -= np.repeat(np.where(starts > 0, running[starts - 1], 0), counts)
    return running.tolist(), starts.tolist(), ends.tolist()


def _parse(buf: bytes | memoryview, end: int) -> tuple[int, int, np.ndarray, np.ndarray | float, Values]:
    """The parts of the block data ending at ``end``: count, first id, the id gaps, the
    weights (an array of uint8 or float32, or the one value they all have) and values."""
    (size,) = _TRAILER.unpack_from(buf, end - _TRAILER.size)
    pos = end - size
    if size > end or size < _HEADER.size + _TRAILER.size:
        raise BlockFormatError(f"a block's data claims {size} bytes")
    n, id_size, weights_kind, values_kind, first = _HEADER.unpack_from(buf, pos)
    pos += _HEADER.size
    gaps = np.frombuffer(buf, dtype=_UNSIGNED[id_size][1], count=n, offset=pos)
    pos += id_size * n
    if weights_kind == _ONES:
        weights = 1.0
    elif weights_kind == _SAME:
        (weights,) = _FLOAT32.unpack_from(buf, pos)
        pos += _FLOAT32.size
    elif weights_kind == _SMALL:
        weights = np.frombuffer(buf, dtype=np.uint8, count=n, offset=pos)
        pos += n
    else:
        weights = np.frombuffer(buf, dtype="<f4", count=n, offset=pos)
        pos += 4 * n
    return n, first, gaps, weights, Values(n, buf[pos:end - _TRAILER.size], values_kind)


def read_block(buf: bytes | memoryview, end: int) -> tuple[np.ndarray, np.ndarray, Values]:
    """One block's ids (int64) and weights (float64, exactly W3's float32 ones) and its
    values, from the block data that ends at ``end`` in ``buf``."""
    n, first, gaps, weights, values = _parse(buf, end)
    ids = np.cumsum(gaps, dtype=np.int64)
    ids += first
    if isinstance(weights, float):
        return ids, np.full(n, weights), values
    return ids, weights.astype(np.float64), values


def read_postings(buf: bytes, doc_count: int) -> tuple[np.ndarray, np.ndarray, list[Values]]:
    """A whole posting list in this format (its bytes from the postings file): the ids
    and weights of every block concatenated, and each block's values.

    Only the block framing's lengths are read, never the pickled info tuples: each
    block's data is found from its trailer. The gaps of all blocks are summed at once
    (each block's first gap is 0; its first id is added back per block). Raises
    ``BlockFormatError`` when the bytes do not parse or name a document past the
    segment's ``doc_count``.
    """
    if buf[:len(WHOOSH3_HEADER_MAGIC)] != WHOOSH3_HEADER_MAGIC:
        raise BlockFormatError(f"Block tag error {bytes(buf[:4])!r}")  # as Whoosh words it
    view = memoryview(buf)
    pos, total = len(WHOOSH3_HEADER_MAGIC), len(buf)
    counts, firsts, gaps, weights, values = [], [], [], [], []
    try:
        while pos < total:
            (length,) = _BLOCK_LENGTH.unpack_from(view, pos)
            end = pos + _INT_SIZE + abs(length)
            if end > total:
                raise BlockFormatError(f"a block runs {end - total} bytes past its posting list")
            n, first, block_gaps, block_weights, block_values = _parse(view, end)
            counts.append(n)
            firsts.append(first)
            gaps.append(block_gaps)
            weights.append(np.full(n, block_weights, dtype=np.float32)
                           if isinstance(block_weights, float) else block_weights)
            values.append(block_values)
            if length < 0:  # W3 marks the last block with a negative length
                break
            pos = end
    except (struct.error, ValueError, IndexError) as exc:
        raise BlockFormatError(str(exc)) from exc
    if not counts:
        raise BlockFormatError("a posting list without blocks")
    if len(counts) == 1:
        ids = np.cumsum(gaps[0], dtype=np.int64)
        ids += firsts[0]
        weights_all = weights[0].astype(np.float64)
    else:
        ids = np.cumsum(np.concatenate(gaps), dtype=np.int64)
        starts = np.cumsum(counts) - counts  # each block's first posting
        ids += np.repeat(np.asarray(firsts, dtype=np.int64) - ids[starts], counts)
        weights_all = np.concatenate(weights).astype(np.float64)
    if ids.max() >= doc_count:
        raise BlockFormatError(f"a posting list names documents past the segment's {doc_count}")
    return ids, weights_all, values


def block_lengths(lengths: Sequence[int] | None) -> tuple[int | None, int]:
    """A block's shortest and longest field length as ``W3PostingsWriter.add_posting``
    tracks them: lengths of 0 (none kept) are left out; (None, 0) when every one is."""
    kept = [n for n in lengths if n] if lengths else ()
    return (min(kept), max(kept)) if kept else (None, 0)


class ArrayPostingsWriter(W3PostingsWriter):
    """W3's postings writer with ``encode_block``'s block data; framing and info as W3's."""

    #: (the postings file, the offset ``write_term`` wrote up to in it), or None.
    _written_to: tuple[object, int] | None = None

    def write_term(self, format_: object, terminfo: W3TermInfo, ids: Sequence[int],
                   weights: Sequence[float], values: Sequence[bytes | None],
                   lengths: Sequence[int] | None) -> W3TermInfo:
        """One term's whole posting list, a block at a time (``fieldwriter``): the bytes
        and term info that ``add_posting`` for each posting then ``finish_postings``
        give, without the per-posting calls. ``lengths``: each posting's field length
        (0 for none), or None for a field that keeps none."""
        if len(ids) < self._inlinelimit:  # inlined in the term info: Whoosh's own way
            self.start_postings(format_, terminfo)
            for n, docnum in enumerate(ids):
                self.add_posting(docnum, weights[n], values[n] or b"",
                                 lengths[n] if lengths else None)
            return self.finish_postings()
        self._format, self._terminfo = format_, terminfo
        fixed = format_.fixed_value_size() is not None
        positions = type(format_) is Positions
        limit, total = self._blocklimit, len(ids)
        parts = [WHOOSH3_HEADER_MAGIC]
        for start in range(0, total, limit):
            end = start + limit
            chunk = weights[start:end]
            self._ids = ids[start:end]
            self._weights = array("f", chunk)
            self._maxweight = max(0, max(chunk))  # add_posting's running maximum, from 0
            self._values = [v for v in values[start:end] if v]
            self._minlength, self._maxlength = block_lengths(
                lengths[start:end] if lengths else None)
            terminfo.add_block(self)
            parts.append(self._block_bytes(fixed, positions, last=end >= total))
        data = b"".join(parts)
        # Where the data goes: the file's end, as ``tell`` says, asked once per file (a
        # system call a term); only this writer writes the postings file.
        offset = self._written_to
        if offset is None or offset[0] is not self._postfile:
            offset = (self._postfile, self._postfile.tell())
        terminfo.set_extent(offset[1], len(data))
        self._postfile.write(data)
        self._written_to = (self._postfile, offset[1] + len(data))
        self._blockcount = len(parts) - 1
        self._terminfo = None
        self._new_block()
        return terminfo

    def _block_bytes(self, fixed: bool, positions: bool, last: bool) -> bytes:
        """The buffered block as W3 frames it: its length (negative for a posting list's
        last block), the pickled info tuple W3's matcher skips blocks by, then the data."""
        ids = self._ids
        data, compressed = encode_block(ids, self._weights, self._values, fixed,
                                        self._compression, positions=positions)
        info = pickle.dumps((len(ids), ids[-1], self._maxweight,
                             self._compression if compressed else 0,
                             length_to_byte(self._minlength), length_to_byte(self._maxlength)),
                            protocol=2)
        length = len(info) + len(data)
        return b"".join((pack_int(-length if last else length), info, data))

    def _write_block(self, last: bool = False) -> None:
        self._written_to = None  # Whoosh's own path writes too: ask the file again
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        self._postfile.write(self._block_bytes(self._format.fixed_value_size() is not None,
                                               type(self._format) is Positions, last))
        self._blockcount += 1
        self._new_block()


class ArrayLeafMatcher(W3LeafMatcher):
    """W3's matcher over ``ArrayPostingsWriter``'s blocks: Whoosh's own searcher, merges
    and ``newsearch`` all read them through it (or through ``read_postings``)."""

    def _read_data(self) -> None:
        length = self._nextoffset - self._dataoffset
        try:
            self._data = read_block(self._postfile.get(self._dataoffset, length), length)
        except (struct.error, ValueError, IndexError) as exc:
            raise BlockFormatError(str(exc)) from exc

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        self._ids = tuple(self._data[0].tolist())

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        self._weights = array("f", self._data[1].tolist())

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        if self._fixedsize == 0:
            self._values = (None,) * self._blocklength
        else:
            self._values = tuple(self._data[2].split())


class _LengthsReader(W3PerDocReader):
    """A per-document reader that also remembers which length columns are absent."""

    def _cached_reader(self, fieldname: str, column: object) -> object:
        if fieldname not in self._readers and not self.has_column(fieldname):
            self._readers[fieldname] = None  # the base class returns a cached None as is
        return super()._cached_reader(fieldname, column)


class ArrayCodec(W3Codec):
    """``W3Codec`` with array posting blocks (module docstring); pass it to ``ix.writer``.

    The segments it writes name it, with ``format_version``, in the table of contents.
    Its name is new on purpose: the ``NewsCodec`` of before wrote W3 blocks, and a
    newsearch of then, finding that name, would read these blocks as W3 ones; finding
    this one, it cannot unpickle the table of contents and says to rebuild the index.
    """

    def __init__(self, blocklimit: int = 128, compression: int = 3, inlinelimit: int = 1) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)
        self.format_version = FORMAT_VERSION

    def postings_writer(self, dbfile: object, byteids: bool = False) -> W3PostingsWriter:
        if byteids:  # term vectors: Whoosh's W3PerDocReader.vector reads them as W3 only
            return super().postings_writer(dbfile, byteids=True)
        return ArrayPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=False,
                                   compression=self._compression, inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile: object, terminfo: object, format_: object,
                        term: object = None, scorer: object = None) -> ListMatcher | W3LeafMatcher:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return ArrayLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)

    def field_writer(self, storage: object, segment: object) -> ArrayFieldWriter:
        return ArrayFieldWriter(self, storage, segment)

    def per_document_reader(self, storage: object, segment: object) -> W3PerDocReader:
        return _LengthsReader(storage, segment)

    def new_segment(self, storage: object, indexname: str) -> W3Segment:
        return W3Segment(self, indexname)


def format_version(codec: object) -> int:
    """The block format a segment's codec wrote: 0 for Whoosh's W3, else ``ArrayCodec``'s."""
    return codec.__dict__.get("format_version", 1) if isinstance(codec, ArrayCodec) else 0
