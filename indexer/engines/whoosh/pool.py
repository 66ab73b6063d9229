"""Whoosh's index writers with a posting pool kept a term at a time.

A Whoosh writer collects every posting of a run in a pool (``whoosh.writing.PostingPool``):
a list of (field, term, document, weight, value) tuples that the commit sorts, and that
past ``limitmb`` it sorts and spills to run files and merges back a posting at a time.
On all of Reuters-21578 with ``--workers 2`` the sort, the spills, the merge and taking
the sorted tuples apart again a term at a time were about 13% of the build's CPU
(docs/BENCHMARKS.md, issue 16), all of it per posting.

``TermPool`` keeps each term's postings together as it gets them: per field, a dict of
term -> (documents, weights, values) lists. Every term's postings reach the pool in
increasing document order: a writer numbers its documents in increasing order and adds
each one's postings as it adds it (``add_pooled``), and a merged segment's come after
all of its documents are numbered, term by term, renumbered in order (Whoosh's
``add_reader``). So the commit sorts only the terms, and ``ArrayFieldWriter`` takes each
term's lists as they are (``by_term``). Past ``limitmb`` the pool writes its terms,
sorted, to a run file and starts afresh; the commit merges the runs a term at a time,
the earlier run's documents first (and checks that they are earlier). The postings,
their order and so the segment's files are the same as Whoosh's pool gives
(``tests/test_whoosh_pool.py``).

It also **counts the spelling words** instead of pooling them. For "did you mean", Whoosh
indexes every unstemmed word of each document into ``spell_body``/``spell_title``, as a
posting on document 0 carrying the last stemmed posting's value: 37% of all of Reuters'
postings (1.49 million), each added, sorted, spilled and written like a real one, to be
read back only as the word list and each word's count. ``TermPool`` keeps a count per
word and gives the writer one posting a word per segment, whose weight and frequency
value are the count: ``reader.frequency`` of a word is then what its document frequency
was (``spelling.py`` reads that), and a merge of segments of before (one posting a
document) sums them the same way.

The writers are Whoosh's own, given this pool: ``segment_writer`` for one process, and
``ParallelWriter`` for ``--workers N`` (Whoosh's ``MpWriter``, whose sub-writer processes
swap in the pool before their first document).
"""

from __future__ import annotations

import gc
import heapq
import pickle
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import groupby, islice
from operator import itemgetter

from whoosh.index import FileIndex
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.system import pack_uint
from whoosh.writing import PostingPool, SegmentWriter

from indexer.search.errors import IndexWriteFailed

#: One term's postings in a run or at the commit: (field, term, documents, weights, values).
Term = tuple[str, bytes, Sequence[int], Sequence[float], Sequence[bytes | None]]

#: Terms a run file holds per pickled list: enough that the pickling is done in C, few
#: enough that the merge holds little of each run in memory (a frequent term's list is
#: as long as its postings in that run, whatever the count of terms).
CHUNK = 2_000
#: Estimated bytes in memory of one posting in a term's lists (a slot in each of three
#: lists, the document number and the weight), less its value's own bytes; and of one
#: term (its three lists and the entry holding them), less its text's.
_POSTING_BYTES = 3 * 8 + 28 + 24 + 33
_TERM_BYTES = 3 * 56 + 64 + 33 + 50
#: A posting's or a term's (field, term): the order of a pool.
TERM_KEY = itemgetter(0, 1)


class PooledTerms:
    """The pool's postings in order, for ``ArrayFieldWriter``: ``by_term`` gives each
    term's lists; iterating gives Whoosh's (field, term, document, weight, value) tuples,
    for any other reader of a pool."""

    def __init__(self, terms: Iterator[Term]) -> None:
        self._terms = terms

    def by_term(self) -> Iterator[Term]:
        return self._terms

    def __iter__(self) -> Iterator[tuple]:
        for fieldname, text, ids, weights, values in self._terms:
            for n, docnum in enumerate(ids):
                yield fieldname, text, docnum, weights[n], values[n]


class TermPool(PostingPool):
    """A posting pool that keeps each term's postings together and counts the spelling
    words (module docstring)."""

    def __init__(self, tempstore: object, segment: object, limitmb: int,
                 spelling: frozenset[str] = frozenset()) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb)
        #: The spelling fields, whose words are counted, not pooled.
        self.spelling = spelling
        self._words: dict[str, Counter[bytes]] = {}
        self._fields: dict[str, dict[bytes, tuple[list, list, list]]] = {}

    def _terms_of(self, fieldname: str) -> dict[bytes, tuple[list, list, list]]:
        """The terms held of a field, made the first time one comes."""
        terms = self._fields.get(fieldname)
        if terms is None:
            self.fieldnames.add(fieldname)
            terms = self._fields[fieldname] = {}
        return terms

    def _counts_of(self, fieldname: str) -> Counter[bytes]:
        """The word counts of a spelling field, made the first time one comes."""
        counts = self._words.get(fieldname)
        if counts is None:
            self.fieldnames.add(fieldname)
            counts = self._words[fieldname] = Counter()
        return counts

    def add(self, item: tuple) -> None:
        """Whoosh's ``PostingPool.add``: one posting joins its term's lists. Whoosh's
        ``add_reader`` (merging a segment) calls it a posting at a time, as does its
        ``add_document`` for a document with a term vector (``add_pooled``)."""
        fieldname, text, docnum, weight, value = item
        if fieldname in self.spelling:
            self._counts_of(fieldname)[text] += weight
            return
        terms = self._terms_of(fieldname)
        postings = terms.get(text)
        if postings is None:
            terms[text] = ([docnum], [weight], [value])
            self.currentsize += _TERM_BYTES + len(text) + _POSTING_BYTES + len(value or b"")
        else:
            postings[0].append(docnum)
            postings[1].append(weight)
            postings[2].append(value)
            self.currentsize += _POSTING_BYTES + len(value or b"")
        if self.currentsize > self.limit:
            self.save()

    def _sorted_terms(self) -> Iterator[Term]:
        """The terms held in memory, in order (a field's terms sorted once, in C)."""
        fields, self._fields = self._fields, {}
        self.currentsize = 0
        for fieldname in sorted(fields):
            terms = fields[fieldname]
            for text in sorted(terms):
                ids, weights, values = terms[text]
                yield fieldname, text, ids, weights, values

    def add_terms(self, fieldname: str, docnum: int, terms: Iterator[tuple], boost: float,
                  scorable: bool) -> int:
        """A document's postings in one field, from the field's ``index`` (term, frequency,
        weight, value): what Whoosh's ``add_document`` hands ``add`` one posting at a
        time, the weights times the field's boost as there. Returns the field's length
        (the frequencies' sum) if it is scorable, else 0."""
        held = self._terms_of(fieldname)
        get = held.get
        length = size = 0
        for text, freq, weight, value in terms:
            length += freq
            postings = get(text)
            if postings is None:
                held[text] = ([docnum], [weight * boost], [value])
                size += _TERM_BYTES + len(text)
            else:
                postings[0].append(docnum)
                postings[1].append(weight * boost)
                postings[2].append(value)
            size += _POSTING_BYTES + len(value or b"")
        self.currentsize += size
        if self.currentsize > self.limit:
            self.save()
        return length if scorable else 0

    def add_words(self, fieldname: str, words: Iterator[str]) -> None:
        """Count a document's spelling words (its distinct unstemmed words) in the
        spelling field ``fieldname``."""
        self._counts_of(fieldname).update(map(str.encode, words))

    def _spelling_terms(self) -> list[Term]:
        """Each spelling word's one posting: on document 0 (as Whoosh gives them all), its
        weight and frequency the number of documents it was counted in, so
        ``reader.frequency`` is what the document frequency of Whoosh's one posting a
        document was."""
        words, self._words = self._words, {}
        return [(fieldname, text, [0], [float(count)], [pack_uint(int(count))])
                for fieldname in sorted(words) for text, count in sorted(words[fieldname].items())]

    def save(self) -> None:
        """Write the terms held in memory, in order, to a new run file."""
        if self._fields:
            self._add_run(self._write_run(self._sorted_terms()))

    def _write_run(self, terms: Iterator[Term]) -> str:
        path, f = self._new_run()
        try:
            while chunk := list(islice(terms, CHUNK)):
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        finally:
            f.close()
        return path

    def _read_run(self, path: str) -> Iterator[Term]:
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

    def _merged(self, sources: list[Iterator[Term]]) -> Iterator[Term]:
        """One term at a time from the runs, a term in several joined in run order (the
        earlier run holds the earlier documents: a caller that broke that would write a
        corrupt posting list, so it is checked)."""
        for (fieldname, text), same in groupby(heapq.merge(*sources, key=TERM_KEY),
                                               key=TERM_KEY):
            first, *rest = same
            if not rest:
                yield first
                continue
            ids, weights, values = list(first[2]), list(first[3]), list(first[4])
            for _, _, more_ids, more_weights, more_values in rest:
                if more_ids[0] <= ids[-1]:
                    raise ValueError(f"postings of {fieldname}:{text!r} out of document "
                                     f"order across runs ({ids[-1]} then {more_ids[0]})")
                ids += more_ids
                weights += more_weights
                values += more_values
            yield fieldname, text, ids, weights, values

    def items(self, maxfiles: int = 128) -> PooledTerms:
        """Every term in order, with the spelling words' postings among them. Past
        ``maxfiles`` runs, runs are first merged ``maxfiles`` at a time, in order, as
        many rounds as needed, so that no merge opens more files than that."""
        if maxfiles < 2:
            raise ValueError(f"maxfiles={maxfiles} must be >= 2")
        words = self._spelling_terms()
        if not self.runs:  # all in memory
            return PooledTerms(heapq.merge(self._sorted_terms(), words, key=TERM_KEY))
        self.save()
        runs, self.runs = self.runs, []
        while len(runs) > maxfiles:
            runs = [self._write_run(self._merged([self._read_run(path) for path in group]))
                    for group in (runs[i:i + maxfiles] for i in range(0, len(runs), maxfiles))]
        return PooledTerms(self._merged([self._read_run(path) for path in runs]
                                        + [iter(words)]))

    def reduce_to(self, target: int, k: int) -> None:
        """Whoosh's merge of runs for its one-segment ``MpWriter`` mode, which
        ``ParallelWriter`` does not use (``multisegment``)."""
        raise NotImplementedError("TermPool's runs hold terms, not postings")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a writer pools and writes a segment.

    The pool holds every posting of the segment in lists until the commit, and each
    collection of the oldest generation walks all of them again: with the collector on,
    a Reuters build with ``--workers 2`` took 1.25x the time (docs/BENCHMARKS.md, issue
    16). Nothing a writer makes there is garbage held only by a cycle; reference counting
    frees the rest, and the collector is back on (if it was) afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _term_pool(writer: SegmentWriter) -> None:
    """Give a writer that has not pooled anything yet a ``TermPool`` of its limit."""
    pool = writer.pool
    spelling = frozenset(field.spelling_fieldname(name) for name, field in writer.schema.items()
                         if field.separate_spelling())
    writer.pool = TermPool(pool.tempstore, pool.segment, limitmb=pool.limit // (1 << 20),
                           spelling=spelling)


def add_pooled(writer: SegmentWriter, fields: dict[str, object]) -> None:
    """Whoosh's ``SegmentWriter.add_document`` for a writer with a ``TermPool``: the same
    checks, stored fields, lengths and columns, but each field's terms go to the pool in
    one call (``TermPool.add_terms``) and its spelling words in another, instead of a
    call and a tuple a posting. A document with a term-vector field (none in newsearch's
    schema) goes through Whoosh's own method."""
    schema, pool = writer.schema, writer.pool
    names = sorted(name for name in fields if not name.startswith("_"))
    writer._check_fields(schema, names)
    if not isinstance(pool, TermPool) or any(schema[name].vector for name in names):
        SegmentWriter.add_document(writer, **fields)
        return
    writer._check_state()
    docnum, perdoc = writer.docnum, writer.perdocwriter
    docboost = writer._doc_boost(fields)
    perdoc.start_doc(docnum)
    try:
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                length = pool.add_terms(name, docnum, field.index(value),
                                        writer._field_boost(fields, name, docboost),
                                        field.scorable)
            if field.separate_spelling():
                pool.add_words(field.spelling_fieldname(name), field.spellable_words(value))
            shown = fields.get(f"_stored_{name}", value)
            perdoc.add_field(name, field, shown if field.stored else None, length)
            if field.column_type and shown is not None:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(shown))
    except Exception:
        perdoc.cancel_doc()
        raise
    perdoc.finish_doc()
    writer._added = True
    writer.docnum += 1


def merge_postings(writer: SegmentWriter, reader: object, startdoc: int,
                   docmap: dict[int, int] | None) -> None:
    """Whoosh's ``add_postings_to_pool`` (a merged segment's postings into the writer's
    pool, renumbered), but the spelling words are counted from the segment's term
    table (each word's frequency, which is its count in either form). Whoosh files them
    all under document 0, so when that article was deleted its merge dropped every
    spelling word of the segment ("did you mean" lost 573 of 6,596 words after an update
    and an optimize). A deleted article's words stay counted, as they do on document 0."""
    pool = writer.pool
    if not isinstance(pool, TermPool):
        SegmentWriter.add_postings_to_pool(writer, reader, startdoc, docmap)
        return
    for item in writer._process_posts(reader.iter_postings(), startdoc, docmap):
        if item[0] not in pool.spelling:
            pool.add(item)
    indexed = set(reader.indexed_field_names())
    for fieldname in sorted(pool.spelling & indexed):
        for word in reader.lexicon(fieldname):
            pool.add((fieldname, word, 0, reader.frequency(fieldname, word), None))


class PooledWriter(SegmentWriter):
    """Whoosh's one-process writer with a ``TermPool``, adding documents by ``add_pooled``
    and merging segments by ``merge_postings``."""

    def add_document(self, **fields: object) -> None:
        add_pooled(self, fields)

    def add_postings_to_pool(self, reader: object, startdoc: int,
                             docmap: dict[int, int] | None) -> None:
        merge_postings(self, reader, startdoc, docmap)


def segment_writer(ix: FileIndex, **options: object) -> SegmentWriter:
    """Whoosh's one-process writer (``ix.writer(**options)``) with a ``TermPool``."""
    writer = PooledWriter(ix, **options)
    _term_pool(writer)
    return writer


class _SubWriterTask(SubWriterTask):
    """Whoosh's sub-writer process, its writer given a ``TermPool`` before it adds
    its first document (the writer is made inside the process, in ``run``), adding
    documents by ``add_pooled``."""

    def run(self) -> None:
        with collector_paused():
            super().run()

    def _process_file(self, filename: str, doc_count: int) -> None:
        """Whoosh's: add the documents of one job file the parent wrote, then delete it;
        by ``add_pooled``."""
        writer = self.writer
        if not isinstance(writer.pool, TermPool):
            _term_pool(writer)
        storage = writer.temp_storage()
        with storage.open_file(filename).raw_file() as f:
            for _ in range(doc_count):
                code, fields = pickle.load(f)
                if code != 0:  # Whoosh's parent writes only "add a document" jobs
                    raise ValueError(f"unknown job {code!r} in {filename}")
                add_pooled(writer, fields)
        storage.delete_file(filename)


class ParallelWriter(MpWriter):
    """Whoosh's ``MpWriter`` (``ix.writer(procs=N, multisegment=True, ...)``) whose
    writers, its own and its sub-writer processes', have a ``TermPool``; it merges
    segments by ``merge_postings``. Each process
    writes a segment of its own (``multisegment``): Whoosh's other way, one segment
    merged from the sub-writers' pool files, would not see their counted words."""

    def __init__(self, ix: FileIndex, procs: int, **options: object) -> None:
        super().__init__(ix, procs=procs, multisegment=True, **options)
        _term_pool(self)

    def add_postings_to_pool(self, reader: object, startdoc: int,
                             docmap: dict[int, int] | None) -> None:
        merge_postings(self, reader, startdoc, docmap)

    def _commit_toc(self, segments: list) -> None:
        """Commit only if every sub-writer process delivered its segment. Whoosh's
        ``MpWriter`` skips the result of one that died (a crash, the kernel's
        out-of-memory killer) and would commit without its articles, while the deletions
        of the ones they replace still apply. The run fails instead, and the previous
        index stays as it was (``build_index`` cancels the writer)."""
        died = [task.exitcode for task in self.tasks if task.exitcode != 0]
        if died:
            raise IndexWriteFailed(
                f"{len(died)} of the {len(self.tasks)} writer processes died (exit code "
                f"{', '.join(map(str, died))}) before handing over their articles; nothing "
                "was committed: the previous index is unchanged and searchable. Run the "
                "same command again (with fewer --workers if memory ran out).")
        super()._commit_toc(segments)

    def _new_task(self) -> SubWriterTask:
        task = _SubWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                              self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task
