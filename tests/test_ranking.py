"""Matching and ranking over posting arrays give what Whoosh's own matchers give.

``indexer.engines.whoosh.matches`` replaces Whoosh's Python matcher walk with numpy; these tests
hold it to Whoosh on the Reuters subset (two segments): the same documents for every kind
of query, and for words and filters the same BM25F scores, so the order of results is the
one Whoosh would produce.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz.distance import OSA
from whoosh import query as wq

from indexer.build import build_index
from indexer.engines.whoosh.engine import WhooshEngine
from indexer.search.limits import MAX_FUZZY_EXPANSION
from indexer.search.model import SearchRequest
from indexer.search.query import parse

SAME_DOCUMENTS = [
    "coffee", "coffee brazil", "coffee OR cocoa", "brazil NOT coffee", "sugar -beet",
    "(oil OR gas) prices -opec", '"interest rates"', '"interest rates" japan',
    '"federal reserve"~3', '"bank of japan"', "export*", "expor?",
    "title:coffee", "country:brazil coffee", "person:reagan", "date:1987-03",
    "date:[1987-03-01 to 1987-03-05] gold", "NOT coffee", "coffee OR NOT cocoa",
    '"trade deficit" OR "trade surplus"', "title:\"crude oil\"",
    # A repeated word, and a slop past every position of a document.
    '"said said"~3', '"mln dlrs"~1000000000000',
]

SAME_SCORES = ["coffee", "coffee brazil", "coffee OR cocoa", "brazil NOT coffee",
               "(oil OR gas) prices -opec", "country:brazil coffee", "title:coffee",
               "person:reagan trade"]


def bracketed(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span in [brackets], to match marked words in sequence."""
    out, pos = [], 0
    for start, end in spans:
        out += [text[pos:start], "[", text[start:end], "]"]
        pos = end
    return "".join([*out, text[pos:]])


def _whoosh_docs(engine: WhooshEngine, text: str) -> np.ndarray:
    snap = engine.snapshot()
    q = parse(engine.parser, text)
    return np.fromiter(sorted(snap.searcher.docs_for_query(q)), dtype=np.int64)


@pytest.fixture(scope="module")
def engine(reuters_index: Path) -> WhooshEngine:
    return WhooshEngine(reuters_index)


def test_index_has_several_segments(engine: WhooshEngine) -> None:
    assert len(engine.snapshot().searcher.reader().leaf_readers()) >= 2


@pytest.mark.parametrize("text", SAME_DOCUMENTS)
def test_same_documents_as_whoosh(engine: WhooshEngine, text: str) -> None:
    ours = engine.snapshot().matches(parse(engine.parser, text)).ids
    np.testing.assert_array_equal(ours, _whoosh_docs(engine, text))


@pytest.mark.parametrize("text", SAME_SCORES)
def test_same_scores_and_order_as_whoosh(engine: WhooshEngine, text: str) -> None:
    snap = engine.snapshot()
    q = parse(engine.parser, text)
    theirs = snap.searcher.search(q, limit=None)
    found = snap.matches(q)
    expected = {hit.docnum: hit.score for hit in theirs}
    assert set(found.ids.tolist()) == set(expected)
    np.testing.assert_allclose(found.scores_of(list(expected)), list(expected.values()), rtol=1e-5)
    assert found.ranked(10).tolist()[:10] == [hit.docnum for hit in theirs[:10]]


@pytest.mark.parametrize("text", ["stokc~", "prics~2", "export*", "coffe~ brazil"])
def test_fuzzy_and_wildcard_terms_match_any_of_their_expansions(engine: WhooshEngine, text: str) -> None:
    """Whoosh's own matcher loses documents here (``stokc~`` finds nothing although it
    expands to "stock"; ``prics~2`` misses the documents of some expansions), so the
    reference is the union of the documents of every word of the field within the
    distance (Damerau-Levenshtein: a swap is one edit), the MAX_FUZZY_EXPANSION closest
    of them (fewest edits, then alphabetical)."""
    snap = engine.snapshot()
    q = parse(engine.parser, text)
    reader = snap.searcher.reader()

    def expected(node: wq.Query) -> set[int]:
        if isinstance(node, wq.FuzzyTerm):  # the closest words within the distance
            close = sorted((OSA.distance(node.text, word), word)
                           for word in reader.field_terms(node.fieldname)
                           if OSA.distance(node.text, word) <= node.maxdist)
            return {d for _, word in close[:MAX_FUZZY_EXPANSION]
                    for d in snap.searcher.docs_for_query(wq.Term(node.fieldname, word))}
        if isinstance(node, (wq.Prefix, wq.Wildcard)):
            return {d for word in node._btexts(reader)
                    for d in snap.searcher.docs_for_query(wq.Term(node.fieldname, word))}
        if isinstance(node, wq.Or):
            return set().union(*(expected(s) for s in node.subqueries))
        if isinstance(node, wq.And):
            return set.intersection(*(expected(s) for s in node.subqueries))
        return set(snap.searcher.docs_for_query(node))

    want = expected(q)
    assert want, text
    assert snap.matches(q).ids.tolist() == sorted(want)


@pytest.mark.parametrize(("text", "first", "last"), [
    ("date:>1987-03-05 oil", date(1987, 3, 6), None),
    ("date:<1987-03-03 oil", None, date(1987, 3, 2)),
    ("date:[1987-03-02 to] sugar", date(1987, 3, 2), None),
    ("date:[to 1987-03-02] grain", None, date(1987, 3, 2)),
    ("date:1987-03-04 trade", date(1987, 3, 4), date(1987, 3, 4)),
])
def test_date_ranges_hold_exactly_the_articles_of_those_days(
        engine: WhooshEngine, text: str, first: date | None, last: date | None) -> None:
    """Checked against the stored publication dates: Whoosh's own open-ended range
    (``date:<1987-03-03``) also lets in articles of 3 March."""
    snap = engine.snapshot()
    q = parse(engine.parser, text)
    word = parse(engine.parser, text.split()[-1])
    expected = [d for d in snap.matches(word).ids.tolist()
                if (published := snap.searcher.stored_fields(d).get("published")) is not None
                and (first is None or published.date() >= first)
                and (last is None or published.date() <= last)]
    assert expected
    assert snap.matches(q).ids.tolist() == expected


def test_a_word_found_once_in_the_whole_index(engine: WhooshEngine) -> None:
    """Whoosh inlines the postings of words that occur in one document only."""
    reader = engine.snapshot().searcher.reader()
    rare = next(t for t, df in ((t, reader.doc_frequency("body", t))
                                for t in reader.field_terms("body")) if df == 1 and t.isalpha())
    q = wq.Term("body", rare)
    assert len(engine.snapshot().matches(q).ids) == 1
    np.testing.assert_array_equal(engine.snapshot().matches(q).ids,
                                  np.fromiter(engine.snapshot().searcher.docs_for_query(q), dtype=np.int64))


def test_phrase_finds_words_in_sequence_only(engine: WhooshEngine) -> None:
    phrase = engine.search(SearchRequest(query='"bank of japan"', limit=50))
    words = engine.search(SearchRequest(query="bank japan", limit=50))
    assert 0 < phrase.total < words.total
    # The snippet is cut around the matched words: it shows the phrase, marked word by word.
    assert all(re.search(r"\[bank\]\s+of\s+\[japan\]",
                         bracketed(h.snippet, h.snippet_spans) + " "
                         + bracketed(h.title, h.title_spans), re.I) for h in phrase.hits)
    for hit in phrase.hits:
        body = engine.article(hit.id).body.lower()
        assert "bank of japan" in " ".join(body.split())


def test_updated_article_is_matched_in_its_new_version_only(corpus_index: Path, tmp_path: Path) -> None:
    """Deleted (replaced) documents stay in the postings; they must not match."""
    source = Path(__file__).resolve().parents[1] / "corpus"
    folder = tmp_path / "articles"
    shutil.copytree(source, folder)
    index = tmp_path / "index"
    build_index([folder], index)
    article = next(p for p in sorted(folder.glob("*.txt")) if "Pompeo" in p.read_text(encoding="utf-8"))
    article.write_text(article.read_text(encoding="utf-8").replace("Pompeo", "Pompejus"), encoding="utf-8")
    build_index([folder], index)
    engine = WhooshEngine(index)
    assert engine.snapshot().searcher.reader().has_deletions()
    for text in ("pompejus", "pompeo", "pompe*", '"secretary of state"'):
        ours = engine.snapshot().matches(parse(engine.parser, text)).ids
        np.testing.assert_array_equal(ours, _whoosh_docs(engine, text))
    assert engine.search(SearchRequest(query="pompejus")).total == 1


# -- the written formula (docs/ranking.md) -------------------------------------------------
# Declared here, not imported: the test holds the code to the document, so a change to the
# ranking has to change docs/ranking.md and these numbers with it.
SPEC_K1, SPEC_B = 1.2, 0.75
SPEC_QUERY_WEIGHT = {"title": 2.0, "body": 1.0}  # multiplies a field's BM25 score
SPEC_INDEX_WEIGHT = {"title": 2.0, "body": 1.0}  # multiplies a field's term frequency


SPEC_PROXIMITY_WEIGHT, SPEC_PROXIMITY_SLOP = 1.0, 5


def _field_score(reader, docnum: int, field: str, word: str) -> tuple[float, list[int]]:
    """BM25 of one word in one field of a document (unweighted), and its positions."""
    if (field, word) not in reader:
        return 0.0, []
    postings = reader.postings(field, word)
    postings.skip_to(docnum)
    if not postings.is_active() or postings.id() != docnum:
        return 0.0, []
    positions = postings.value_as("positions")
    tf = len(positions) * SPEC_INDEX_WEIGHT[field]
    idf = np.log(reader.doc_count_all() / (reader.doc_frequency(field, word) + 1)) + 1
    norm = 1 - SPEC_B + SPEC_B * (reader.doc_field_length(docnum, field)
                                  / (reader.field_length(field) / reader.doc_count_all()))
    return idf * tf * (SPEC_K1 + 1) / (tf + SPEC_K1 * norm), positions


def _close_in_order(positions: list[list[int]], slop: int) -> bool:
    """Some occurrence of each word follows one of the previous word within ``slop``."""
    ends = positions[0]
    for later in positions[1:]:
        ends = [p for p in later if any(0 < p - e <= slop for e in ends)]
    return bool(ends)


def spec_score(searcher, docnum: int, words: list[str]) -> float:
    """docs/ranking.md's score of one document, from the index's term statistics only."""
    reader = searcher.reader()
    total, body = 0.0, []
    for word in words:
        for field, weight in SPEC_QUERY_WEIGHT.items():
            score, positions = _field_score(reader, docnum, field, word)
            total += weight * score
            if field == "body":
                body.append((score, positions))
    if len(words) > 1 and all(p for _, p in body) and _close_in_order(
            [p for _, p in body], SPEC_PROXIMITY_SLOP):
        total += SPEC_PROXIMITY_WEIGHT * sum(score for score, _ in body)
    return total


@pytest.mark.parametrize(("text", "words"), [
    ("coffee", ["coffe"]), ("cocoa prices", ["cocoa", "price"]), ("oil prices", ["oil", "price"]),
    ("wheat exports to the soviet union", ["wheat", "export", "soviet", "union"]),
])
def test_scores_follow_the_written_formula(engine: WhooshEngine, text: str, words: list[str]) -> None:
    """The top 10 of a word query score exactly what docs/ranking.md's formula gives
    from term frequencies, document frequencies, field lengths and positions (the
    proximity bonus)."""
    result = engine.search(SearchRequest(query=text, with_facets=False, highlight=False,
                                         fold_duplicates=False))
    hits = [h for h in result.hits if not h.relaxed]
    assert len(hits) >= 3, text
    searcher = engine.snapshot().searcher
    expected = [spec_score(searcher, searcher.document_number(id=h.id), words) for h in hits]
    np.testing.assert_allclose([h.score for h in hits], expected, rtol=1e-4)
    assert expected == sorted(expected, reverse=True)
