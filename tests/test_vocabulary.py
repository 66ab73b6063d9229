"""Fuzzy terms and "did you mean" find the index's words within a few typing mistakes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rapidfuzz.distance import OSA

from indexer.build import build_index
from indexer.engines.whoosh.engine import WhooshEngine
from indexer.engines.whoosh.vocabulary import Vocabulary
from indexer.engines.whoosh.writer import optimize_index
from indexer.search.model import SearchRequest


@pytest.fixture(scope="module")
def engine(reuters_index: Path) -> WhooshEngine:
    return WhooshEngine(reuters_index)


def test_a_swap_of_two_letters_is_one_edit(engine: WhooshEngine) -> None:
    vocabulary = engine.snapshot().vocabulary
    assert "stock" in vocabulary.within("body", "stokc", 1)
    assert "coffe" in vocabulary.within("body", "cofef", 1)  # the stem of "coffee"


def test_every_word_of_every_segment_within_the_distance(engine: WhooshEngine) -> None:
    reader = engine.snapshot().searcher.reader()
    assert len(reader.leaf_readers()) >= 2
    everything = set(reader.field_terms("body"))
    for word, distance in (("japna", 2), ("brazl", 1), ("pric", 2)):
        expected = {w for w in everything if OSA.distance(word, w) <= distance}
        assert engine.snapshot().vocabulary.within("body", word, distance) == expected


def test_prefix_letters_must_match(engine: WhooshEngine) -> None:
    found = engine.snapshot().vocabulary.within("body", "pric", 2, prefix=1)
    assert found and all(w.startswith("p") for w in found)


def test_fuzzy_search_and_suggestion_on_a_multi_segment_index(engine: WhooshEngine) -> None:
    assert engine.search(SearchRequest(query="stokc~")).total > 0
    assert engine.search(SearchRequest(query="cofee brazil")).suggestion == "coffee brazil"


def test_words_are_read_once_per_segment_and_forgotten_when_merged_away(
        reuters_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(reuters_dir, folder)
    index = tmp_path / "index"
    build_index([folder], index, workers=2)
    engine = WhooshEngine(index)
    engine.warm()
    segments = len(engine.snapshot().searcher.reader().leaf_readers())
    cache = engine._vocabulary_cache
    assert segments >= 2 and len(cache) == 3 * segments  # title, body, spelling words
    before = set(cache)
    optimize_index(index)
    engine.refresh_seconds = 0
    assert engine.search(SearchRequest(query="stokc~")).total > 0
    assert not before & set(cache)  # the merged-away segments' words are gone
    vocabulary = Vocabulary(engine.snapshot().searcher.reader(), {})
    assert vocabulary.within("title", "stokc", 1) == engine.snapshot().vocabulary.within("title", "stokc", 1)
