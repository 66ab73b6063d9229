"""Whoosh's index writers with a posting pool that spills to disk a chunk at a time.

A Whoosh writer collects every posting of a run in a pool (``whoosh.writing.PostingPool``)
and, past ``limitmb``, sorts it and writes it to a temporary run file, which the commit
merges back. Whoosh pickles and unpickles each posting on its own there: one
``pickle.dump`` and one ``pickle.load`` a posting. On all of Reuters-21578 with
``--workers 2`` (each writer spills about 2 million postings) that was 64 of the build's
246 s of CPU (docs/BENCHMARKS.md, issue 16). ``ChunkedPool`` writes each run as pickled
lists of ``CHUNK`` postings and reads them back a list at a time: the same postings, in
the same order, for the same merge.

It also **counts the spelling words** instead of pooling them. For "did you mean", Whoosh
indexes every unstemmed word of each document into ``spell_body``/``spell_title``, as a
posting on document 0 carrying the last stemmed posting's value: 37% of all of Reuters'
postings (1.49 million), each added, sorted, spilled and written like a real one, to be
read back only as the word list and each word's count. ``ChunkedPool`` keeps a count
per word and gives the writer one posting a word per segment, whose weight and
frequency value are the count: ``reader.frequency`` of a word is then what its document
frequency was (``spelling.py`` reads that), and a merge of segments of before (one
posting a document) sums them the same way.

The writers are Whoosh's own, given this pool: ``segment_writer`` for one process, and
``ParallelWriter`` for ``--workers N`` (Whoosh's ``MpWriter``, whose sub-writer processes
swap in the pool before their first document).
"""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice

from whoosh.index import FileIndex
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.system import pack_uint
from whoosh.writing import PostingPool, SegmentWriter

#: Postings a run file holds per pickled list: large enough that the pickling is done in
#: C, small enough that the merge holds only one list per run in memory.
CHUNK = 20_000
#: ``PostingPool.add``'s estimate of a posting's bytes in memory, less its strings' own.
_POSTING_BYTES = 28 + 4 * 5 + 21 + 26 + 18 + 16 + 21


class ChunkedPool(PostingPool):
    """``PostingPool`` whose run files hold lists of postings, and that counts the
    spelling words instead of pooling them (module docstring)."""

    def __init__(self, tempstore: object, segment: object, limitmb: int,
                 spelling: frozenset[str] = frozenset()) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb)
        self._spelling = spelling
        self._words: Counter[tuple[str, bytes]] = Counter()

    def add(self, item: tuple) -> None:
        """``PostingPool.add`` without its type asserts, one call a posting of every
        document (7% of a Reuters build's CPU): the same size estimate, so the same
        spills. The postings come from Whoosh's own fields, whose types are known."""
        fieldname, text, _, weight, value = item
        self.fieldnames.add(fieldname)
        if fieldname in self._spelling:
            self._words[fieldname, text] += weight
            return
        self.currentsize += _POSTING_BYTES + len(fieldname) + 2 * len(text) + len(value or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def items(self, maxfiles: int = 128) -> Iterator[tuple]:
        """Every posting in order, each spelling word's one posting among them: on
        document 0 (as Whoosh gives them all), its weight and frequency the number of
        documents it was counted in, so ``reader.frequency`` is what the document
        frequency of Whoosh's one posting a document was."""
        words = [(fieldname, text, 0, float(count), pack_uint(int(count)))
                 for (fieldname, text), count in self._words.items()]
        self._words.clear()
        if not self.runs:  # all in memory: one sort, in C
            self.current.extend(words)
        elif words:  # spilled: the words are one more run of the one merge
            path, f = self._new_run()
            words.sort()
            self._write_run(f, words)
            self._add_run(path)
        return iter(super().items(maxfiles))

    def _write_run(self, f: object, items: Iterable[tuple]) -> None:
        items = iter(items)
        try:
            while chunk := list(islice(items, CHUNK)):
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        finally:
            f.close()

    def _read_run(self, path: str) -> Iterator[tuple]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    chunk = pickle.load(f)
                except EOFError:
                    return
                yield from chunk
        finally:
            f.close()
            self._remove_run(path)


def _chunk_pool(writer: SegmentWriter) -> None:
    """Give a writer that has not pooled anything yet a ``ChunkedPool`` of its limit."""
    pool = writer.pool
    spelling = frozenset(field.spelling_fieldname(name) for name, field in writer.schema.items()
                         if field.separate_spelling())
    writer.pool = ChunkedPool(pool.tempstore, pool.segment, limitmb=pool.limit // (1 << 20),
                              spelling=spelling)


def segment_writer(ix: FileIndex, **options: object) -> SegmentWriter:
    """Whoosh's one-process writer (``ix.writer(**options)``) with a ``ChunkedPool``."""
    writer = SegmentWriter(ix, **options)
    _chunk_pool(writer)
    return writer


class _SubWriterTask(SubWriterTask):
    """Whoosh's sub-writer process, its writer given a ``ChunkedPool`` before it adds
    its first document (the writer is made inside the process, in ``run``)."""

    def _process_file(self, filename: str, doc_count: int) -> None:
        if not isinstance(self.writer.pool, ChunkedPool):
            _chunk_pool(self.writer)
        super()._process_file(filename, doc_count)


class ParallelWriter(MpWriter):
    """Whoosh's ``MpWriter`` (``ix.writer(procs=N, multisegment=True, ...)``) whose
    writers, its own and its sub-writer processes', have a ``ChunkedPool``. Each process
    writes a segment of its own (``multisegment``): Whoosh's other way, one segment
    merged from the sub-writers' pool files, would not see their counted words."""

    def __init__(self, ix: FileIndex, procs: int, **options: object) -> None:
        super().__init__(ix, procs=procs, multisegment=True, **options)
        _chunk_pool(self)

    def _new_task(self) -> SubWriterTask:
        task = _SubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                              self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task
