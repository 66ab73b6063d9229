"""The spelling words ("did you mean") are counted, not pooled a posting an article
(indexer/engines/whoosh/pool.py): each word is one posting a segment whose frequency is
the number of articles it is in, which is what the document frequency of Whoosh's own
posting-an-article format was. Suggestions are the same from an index in either form,
and a merge of both sums their counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index

import indexer.engines.whoosh.pool as pool
from indexer.build import build_index
from indexer.engines.whoosh.writer import optimize_index
from indexer.search.engine import open_engine
from indexer.search.model import SearchRequest
from tests.conftest import write_reuters_files

SPELLING_FIELDS = ("spell_body", "spell_title")
MISSPELT = ["cofee", "cocao", "brazl", "econmy", "goverment", "exprts"]


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_reuters_files(tmp_path_factory.mktemp("spelling"),
                               {"a.sgm": (1, 150), "b.sgm": (151, 300)})


def _whooshs_own(patch: pytest.MonkeyPatch) -> None:
    """Build as before: Whoosh's pool, one spelling posting an article."""
    patch.setattr(pool, "_term_pool", lambda writer: None)


def _spelling(index_dir: Path) -> dict[str, dict[bytes, tuple[int, float]]]:
    """field -> word -> (document frequency, frequency) over the whole index."""
    with whoosh_index.open_dir(str(index_dir)).reader() as reader:
        return {field: {word: (reader.doc_frequency(field, word), reader.frequency(field, word))
                        for word in reader.lexicon(field)} for field in SPELLING_FIELDS}


def _suggestions(index_dir: Path) -> list[str | None]:
    engine = open_engine(index_dir)
    return [engine.search(SearchRequest(query=word)).suggestion for word in MISSPELT]


@pytest.fixture(scope="module")
def both(articles: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(counted, pooled): the same articles in each form."""
    root = tmp_path_factory.mktemp("indexes")
    build_index([articles], root / "counted")
    with pytest.MonkeyPatch.context() as patch:
        _whooshs_own(patch)
        build_index([articles], root / "pooled")
    return root / "counted", root / "pooled"


def test_each_word_is_counted_once_with_the_articles_it_is_in(both: tuple[Path, Path]) -> None:
    counted, pooled = (_spelling(index_dir) for index_dir in both)
    for field in SPELLING_FIELDS:
        assert counted[field].keys() == pooled[field].keys()
        assert len(counted[field]) > 1000
        # Whoosh's own: a posting an article, each of weight 1; counted: one posting.
        assert all(df == freq for df, freq in pooled[field].values())
        assert {word: (1, pooled[field][word][0]) for word in pooled[field]} == counted[field]
    assert pooled["spell_body"][b"coffee"][0] >= 5  # in 9 of these 500 articles


def test_suggestions_are_the_same_from_either_form(both: tuple[Path, Path]) -> None:
    counted, pooled = both
    suggested = _suggestions(counted)
    assert suggested[:2] == ["coffee", "cocoa"]
    assert suggested == _suggestions(pooled)


def test_a_merge_of_both_forms_sums_the_counts(articles: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """An index of before gets a run of this version, then is merged into one segment."""
    with monkeypatch.context() as patch:
        _whooshs_own(patch)
        build_index([articles / "a.sgm"], tmp_path / "index")
    build_index([articles / "a.sgm", articles / "b.sgm"], tmp_path / "index")
    before_merge = _spelling(tmp_path / "index")
    assert optimize_index(tmp_path / "index")[1] == 1
    merged = _spelling(tmp_path / "index")
    assert merged.keys() == before_merge.keys()
    for field in SPELLING_FIELDS:
        assert {word: (1, freq) for word, (_, freq) in before_merge[field].items()} \
            == merged[field]
    # A fresh build holds the same words. Counts may differ by articles written twice:
    # the second run rewrote one whose people the archive step changed, and a deleted
    # article's words stay counted, in Whoosh's own form as in this one.
    build_index([articles], tmp_path / "fresh")
    fresh = _spelling(tmp_path / "fresh")
    for field in SPELLING_FIELDS:
        assert merged[field].keys() == fresh[field].keys()
        assert all(0 <= merged[field][w][1] - fresh[field][w][1] <= 1 for w in fresh[field])
    assert _suggestions(tmp_path / "index") == _suggestions(tmp_path / "fresh")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_merge_keeps_the_words_of_a_segment_whose_first_article_is_gone(
        tmp_path: Path, workers: int) -> None:
    """Whoosh files every spelling word under document 0 of its segment; when that
    article is deleted, its merge used to drop them all. The words of the articles left
    must survive an update and an optimize, with one writer or two."""
    corpus = write_reuters_files(tmp_path / "corpus", {"a.sgm": (1, 150), "b.sgm": (151, 300)})
    build_index([corpus], tmp_path / "index", workers=workers)
    (corpus / "a.sgm").unlink()  # every segment's document 0 may be one of a.sgm's
    write_reuters_files(corpus, {"a.sgm": (2, 150)})  # the first article gone
    build_index([corpus], tmp_path / "index", workers=workers)
    optimize_index(tmp_path / "index")
    build_index([corpus], tmp_path / "fresh", workers=1)
    merged, fresh = _spelling(tmp_path / "index"), _spelling(tmp_path / "fresh")
    for field in SPELLING_FIELDS:
        lost = fresh[field].keys() - merged[field].keys()
        assert not lost, sorted(lost)[:10]
