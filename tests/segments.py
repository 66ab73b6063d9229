"""What a Whoosh index holds, read back for tests that compare two ways of writing it:
each segment's posting files as bytes, and every posting by article."""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index

#: The files a segment's postings are written to: the term table and the posting lists.
POSTING_FILES = (".pst", ".trm")


def posting_files(index_dir: Path) -> list[dict[str, bytes]]:
    """Each segment's terms and postings files, by extension, in the segments' order of
    first document (segment names are random; their contents are not)."""
    ix = whoosh_index.open_dir(str(index_dir))
    found = []
    for segment in ix._segments():
        storage = segment.open_compound_file(ix.storage)
        files = {name[name.rindex("."):]: storage.open_file(name).read()
                 for name in storage.list() if name.endswith(POSTING_FILES)}
        storage.close()
        found.append(files)
    return sorted(found, key=lambda files: files[".pst"])


def postings_by_article(index_dir: Path) -> dict[tuple[str, bytes], object]:
    """Every posting of the index by (field, term): the sorted (article id, weight,
    value) of each, whatever segment and document number it has, and for a spelling
    field the word's frequency. With ``--workers 2`` which sub-writer process takes which
    batch of articles depends on timing, so only this, not the files, is the same."""
    ix = whoosh_index.open_dir(str(index_dir))
    found: dict[tuple[str, bytes], object] = {}
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            ids = list(leaf.column_reader("id"))
            for fieldname, text in leaf.all_terms():
                key = (fieldname, text)
                if fieldname.startswith("spell_"):
                    found[key] = found.get(key, 0) + leaf.frequency(fieldname, text)
                    continue
                matcher = leaf.postings(fieldname, text)
                rows = found.setdefault(key, [])
                while matcher.is_active():
                    rows.append((ids[matcher.id()], matcher.weight(), matcher.value()))
                    matcher.next()
    return {key: sorted(rows) if isinstance(rows, list) else rows
            for key, rows in found.items()}
