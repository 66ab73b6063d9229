"""The text and keyword fields index a value in one pass, and index what Whoosh's would.

``NewsText`` replaces the analyzer's token stream (four generators and a Token a word) by
``indexer.analysis.term_positions`` and ``spelling_words``, ``NewsKeyword`` by a split:
every term, its frequency, weight and encoded value, and the spelling words, must be
exactly what Whoosh's ``TEXT`` with ``news_analyzer`` and its ``KEYWORD`` give, on real
articles and on odd values, and a whole index must be the bytes Whoosh's types write.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from whoosh.fields import KEYWORD, TEXT
from whoosh.index import open_dir

import indexer.engines.whoosh.schema as schema_module
from indexer.analysis import news_analyzer
from indexer.article import Article
from indexer.build import build_index
from indexer.engines.whoosh.fieldtypes import NewsKeyword, NewsText
from indexer.engines.whoosh.schema import build_schema
from indexer.sources import discover, read_file
from tests.conftest import SAMPLE, shared_path, write_reuters_files
from tests.segments import posting_files

ODD_TEXTS = [
    "", "   ", "a I an the", "U.S. forces 3.5 pct, U.K. 1.2.3 e.g. x", "Kim Jong-un's talks",
    "Ünïcödé café naïve façade Zürich Łódź", "said said said said", "The THE the tHe",
    "3,000 mln dlrs vs 2.5 billion", "line one\nline two\n\n\tthree", "ab" * 300,
]


def real_texts() -> list[str]:
    """Titles and bodies of 1,000 Reuters stories and the canonical sample article."""
    files = discover([shared_path("corpora", "reuters21578", "reut2-000.sgm"), SAMPLE]).files
    articles = [a for f in files for a in read_file(f) if isinstance(a, Article)]
    assert len(articles) >= 900
    return [text for a in articles for text in (a.title, a.body) if text]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [*real_texts(), *ODD_TEXTS]


@pytest.mark.parametrize("boost", [1.0, 2.0])
def test_the_same_terms_frequencies_weights_and_positions_as_whooshs_text(texts: list[str], boost: float) -> None:
    ours = NewsText(stored=True, field_boost=boost, spelling=True)
    whooshs = TEXT(analyzer=news_analyzer(), stored=True, field_boost=boost, spelling=True)
    for text in texts:
        assert list(ours.index(text)) == list(whooshs.index(text)), text[:80]


def test_the_same_spelling_words_as_whooshs_text(texts: list[str]) -> None:
    ours = NewsText(spelling=True)
    whooshs = TEXT(analyzer=news_analyzer(), spelling=True)
    for text in texts:
        assert list(ours.spellable_words(text)) == list(whooshs.spellable_words(text)), text[:80]


KEYWORD_VALUES = [
    "", ",", " , ", "mike pompeo,kim jong un,donald trump", "Mike Pompeo, Kim Jong Un ,Mike Pompeo",
    "japan,united states,japan,japan", " leading blank,trailing blank ", "ÉCOLE,école,Łódź",
    "b0x1a2b3c4d b1x00ff00ff b0x1a2b3c4d", "tab\tseparated\nand newline  double", "a,,b,, ,c",
]


@pytest.mark.parametrize("options", [{"commas": True, "lowercase": True}, {"commas": True},
                                     {}, {"lowercase": True}, {"commas": True, "field_boost": 2.0}])
def test_keywords_give_the_same_terms_counts_and_weights_as_whooshs_keyword(options: dict) -> None:
    ours, whooshs = NewsKeyword(**options), KEYWORD(**options)
    for value in KEYWORD_VALUES:
        assert list(ours.index(value)) == list(whooshs.index(value)), value


def test_the_schema_indexes_with_them() -> None:
    schema = build_schema()
    assert isinstance(schema["title"], NewsText) and isinstance(schema["body"], NewsText)
    assert schema["title"].format.field_boost == 2.0
    assert [t.text for t in schema["body"].analyzer("Talks on denuclearization")] == ["talk", "denuclear"]
    assert all(isinstance(schema[name], NewsKeyword) for name in ("person", "country", "organization", "lsh"))


@pytest.mark.usefixtures("fixed_added_stamp")
def test_an_index_written_with_it_is_the_one_whooshs_text_writes(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole build, postings and spelling words included, byte for byte; an index
    made before these types (its schema holds Whoosh's) thus goes on as it was."""
    articles = write_reuters_files(tmp_path / "articles", {"a.sgm": (1, 200)})
    build_index([articles], tmp_path / "news-types")
    with monkeypatch.context() as patch:
        patch.setattr(schema_module, "NewsText",
                      lambda **options: TEXT(analyzer=news_analyzer(), **options))
        patch.setattr(schema_module, "NewsKeyword", KEYWORD)
        build_index([articles], tmp_path / "whoosh-types")
    schema = open_dir(str(tmp_path / "whoosh-types")).schema
    assert type(schema["body"]) is TEXT and type(schema["person"]) is KEYWORD
    assert posting_files(tmp_path / "news-types") == posting_files(tmp_path / "whoosh-types")


def test_the_schema_pickled_into_an_index_holds_no_article_text() -> None:
    """``NewsText`` keeps the last value's tokens for its spelling words; the schema
    Whoosh pickles into the index's table of contents must not carry them along."""
    field = NewsText(stored=True, spelling=True)
    value = "Pompeo met Kono in Amman to talk about North Korea."
    assert list(field.index(value)) and list(field.spellable_words(value))
    restored = pickle.loads(pickle.dumps(field))
    assert b"Amman" not in pickle.dumps(field)
    assert list(restored.index(value)) == list(field.index(value))
