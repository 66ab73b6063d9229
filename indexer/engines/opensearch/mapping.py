"""The OpenSearch index: its analyzer (equal to ``indexer.analysis``) and its mapping.

The analyzer repeats ``news_analyzer`` step by step: the same token pattern (Unicode
``\\w``, as Python's ``re``), lowercase, the same stop words and minimum length, and
Snowball English (Lucene's and NLTK's are both Porter2). NLTK's filter stems only
alphabetic tokens ("u.s", "3.5" stay whole): a ``keyword_marker`` on tokens holding
anything but letters keeps Snowball off them. tests/test_os_analysis.py runs the whole
Reuters-21578 vocabulary through both.

Facets keep two keyword fields: ``person`` (lowercase normaliser) is what queries and
filters match, as Whoosh's lowercase KEYWORD field; ``facet_people`` holds the names as
shown, for aggregations.
"""

from __future__ import annotations

from indexer.analysis import STOP_WORDS, TOKEN_PATTERN
from indexer.search.added import FIELD as ADDED
from indexer.search.model import MAX_LIMIT, MAX_PAGE

#: Bump when the mapping changes: an index of another version must be rebuilt.
SCHEMA_VERSION = 2
MIN_TOKEN = 2  # StopFilter(minsize=2) in indexer.analysis
#: Words whose NLTK Snowball stem differs from Lucene's (see ANALYSIS).
NLTK_STEMS = {"realization": "realize", "fertlizer": "fertlize"}

ANALYSIS = {
    "tokenizer": {
        "news_words": {"type": "pattern", "pattern": TOKEN_PATTERN, "group": 0,
                       "flags": "UNICODE_CHARACTER_CLASS"},
    },
    "filter": {
        "news_stop": {"type": "stop", "stopwords": sorted(STOP_WORDS)},
        "news_min": {"type": "length", "min": MIN_TOKEN},
        "news_not_alpha": {"type": "keyword_marker", "keywords_pattern": r".*[^\p{L}].*"},
        # NLTK's and Lucene's Snowball English disagree on a few words (NLTK keeps the
        # "ize" of "realization"); tests/test_os_analysis.py found these in all of
        # Reuters-21578, and NLTK's stem wins so that both engines index the same term.
        "news_nltk_stems": {"type": "stemmer_override", "rules": [
            f"{word} => {stem}" for word, stem in sorted(NLTK_STEMS.items())]},
        "news_snowball": {"type": "snowball", "language": "English"},
    },
    "normalizer": {"news_lower": {"type": "custom", "filter": ["lowercase"]}},
    "analyzer": {
        "news": {"type": "custom", "tokenizer": "news_words",
                 "filter": ["lowercase", "news_min", "news_stop", "news_not_alpha",
                            "news_nltk_stems", "news_snowball"]},
        # Unstemmed words of the body, for "did you mean" (Whoosh's spell_body).
        "news_spell": {"type": "custom", "tokenizer": "news_words",
                       "filter": ["lowercase", "news_min", "news_stop"]},
    },
}

_KEYWORD = {"type": "keyword", "normalizer": "news_lower"}
_EXACT = {"type": "keyword"}
_STORED = {"type": "keyword", "index": False, "doc_values": False}

MAPPINGS = {
    "dynamic": "strict",
    # title and body are the indexed words only (writer.indexed_text); the text as
    # written is kept in title_text and body_text.
    "_source": {"excludes": ["title", "body"]},
    "properties": {
        "id": _EXACT,
        "title": {"type": "text", "analyzer": "news"},
        "body": {"type": "text", "analyzer": "news", "copy_to": "spell_body"},
        "title_text": {"type": "text", "index": False},
        "body_text": {"type": "text", "index": False},
        "spell_body": {"type": "text", "analyzer": "news_spell"},
        "person": _KEYWORD, "country": _KEYWORD, "country_code": _KEYWORD,
        "about": _KEYWORD, "mentioned": _KEYWORD, "source": _KEYWORD, "category": _KEYWORD,
        "facet_people": _EXACT, "facet_countries": _EXACT, "facet_about": _EXACT,
        "facet_sources": _EXACT,
        "organization": _KEYWORD, "facet_organizations": _EXACT,
        "day": {"type": "integer"},
        "published": {"type": "date"},
        "dupkey": _EXACT, "lsh": _EXACT,
        "file": _EXACT, "file_hash": _EXACT, "content_hash": _EXACT,
        "dateline": _STORED, "authors": _STORED, "url": _STORED, "path": _STORED,
        "gold_places": _STORED, "gold_people": _STORED,
        # When the article entered the index (indexer.search.added); an index made before
        # it gains it on its next run (ADDED_MAPPING), hence no SCHEMA_VERSION bump.
        ADDED: {"type": "long"},
        # The people as extracted and their cues (indexer.archive): read back, never
        # searched. An index made before it gains it on its next run (ADDED_MAPPING).
        "people_input": {"type": "object", "enabled": False},
    },
}
#: The fields an index made before them gains on its next run (adding is allowed).
ADDED_MAPPING = {"properties": {name: MAPPINGS["properties"][name]
                                for name in (ADDED, "people_input")}}


#: How often a serving index makes new writes searchable. An index an indexing run creates
#: starts with refreshes off (``-1``, nothing searches it before the run's commit), which
#: spares the server a small segment per second to merge; the commit sets this.
REFRESH_INTERVAL = "1s"


def index_body(shards: int = 1, replicas: int = 0, refresh: str = REFRESH_INTERVAL) -> dict:
    """Settings and mappings for a new index (1 shard, 0 replicas fits one node)."""
    return {
        "settings": {"index": {"number_of_shards": shards, "number_of_replicas": replicas,
                               # Every page a user can ask for (page 1,000 of 100 hits), as on Whoosh.
                               "max_result_window": MAX_PAGE * MAX_LIMIT,
                               "refresh_interval": refresh},
                     "analysis": ANALYSIS},
        "mappings": {**MAPPINGS, "_meta": {"newsearch_schema": SCHEMA_VERSION}},
    }
