"""The archive step of an indexing run, on any engine's writer.

At the end of every run the name table is built again from every article the index
will hold (those written in this run and those held before), each article's people are
resolved with it, and the writer is told only about the articles whose values change.
Recomputing from the stored inputs each time, rather than patching the table, is what
makes a rerun after a crash finish the job: whatever an interrupted run left, the next
run's values are those of a clean build. Reading the inputs back costs one pass over
a column (Whoosh) or a scroll of small fields (OpenSearch) per run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

from indexer.archive.table import Forms, NameTable, PersonInput, input_of
from indexer.extract.names import name_key
from indexer.extract.people import given_names
from indexer.record import Record
from indexer.search.engine import IndexWriter


def record_input(record: Record) -> PersonInput:
    """A record's input for the archive step."""
    return input_of(record.get("people_input"), record["people"], record.get("day", 0),
                    record["countries"], record["organizations"])


def resolve_archive(writer: IndexWriter, written: Mapping[str, tuple[PersonInput, tuple[str, ...]]],
                    gone: set[str]) -> int:
    """Resolve every article's people against the whole archive and write those that
    change. ``written``: id -> (input, people as put) of this run's articles; ``gone``:
    the ids this run deleted. Returns how many articles held before this run changed
    their values (the "re-resolved" of ``newsearch index``)."""
    held = {row.id: row for row in writer.people_rows()
            if row.id not in written and row.id not in gone}
    table = NameTable([*(row.input for row in held.values()), *(i for i, _ in written.values())],
                      given_names())
    forms: dict[str, Counter] = defaultdict(Counter)

    def resolved(item: PersonInput) -> tuple[str, ...]:
        people, merged = table.resolve(item)
        for form, person in merged.items():
            forms[person][form] += 1
        return tuple(people)

    for article_id, (item, put) in written.items():
        people = resolved(item)
        if people != put:
            writer.set_people(article_id, list(people))
    changed = 0
    for row in held.values():
        people = resolved(row.input)
        if people != row.people:
            writer.set_people(row.id, list(people))
            changed += 1
    writer.save_forms(_forms(forms))
    return changed


def _forms(forms: Mapping[str, Counter]) -> Forms:
    return {name_key(person): {"name": person,
                               "forms": dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))}
            for person, c in forms.items()}
