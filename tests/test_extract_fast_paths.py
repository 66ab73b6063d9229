"""The extraction's fast paths give the answers of the plain patterns they replace (issue 13).

Entity extraction runs in every indexing worker, so its hot spots read text in cheaper
ways than the patterns that define them: a cue before a span is tested on its last word
first, the word before a span is read backwards, date patterns check their word boundary
per hit. Each is compared here with its definition at every position of real articles,
and on strings built to catch the edge cases (window edges, digits and hyphens glued to a
word, blanks other than spaces).
"""

from __future__ import annotations

import re
import zlib
from itertools import islice

import numpy as np
import pytest

from indexer.article import Article
from indexer.dedup import _A, _B, _PRIME, BANDS, MIN_WORDS, ROWS, SHINGLE, lsh_bands
from indexer.extract import countries, dates, organisations, people
from indexer.extract.before import Before
from indexer.sources import discover, read_file
from indexer.sources.reuters import read_reuters
from tests.conftest import shared_path

EDGE_CASES = [
    "analysts at Smith Barney", "Analysts, at  Goldman", "co-analysts with\tE.F. Hutton", "x5analysts at Foo",
    "boss at Bar", "s at Baz", "said spokesman John", "5mr Smith", "x.abc Smith", "Dr.\nSmith", "minister,  Subroto",
    "Secretary-General Annan", "the\u00a0Billy Goat", "his Red Bull", "a\nb", "US Senator Kerry", "said: MP Kefa",
    "the Institute for the Humanistic", "Council on Foreign", "film Vera Drake", "role in  Vera", "star of\nthe",
    "brokers James Capel", "lead manager Morgan", "underwritten by Smith", "broker-dealer Foo", "governor Francisco",
    "listed on the Tokyo", "quoted in London", "ABC Holdings", "IXL Holdings", "AG Edwards", "aa " * 30 + "Zed",
    "x" * 45 + " at Foo", "y" * 38 + "s at Foo", "Ééé Smith", "naïve at Foo", "__init__ at Foo", "",
    "on 3 May 2018 and May 12, 1987, in the 1970s and the '80s, last Monday, yesterday", "x1987 1987x _1987 1987_",
    "Mayday May-12 12May 2018-05-12x 2018-05-12 Sundays Sunday's", "Today today. TODAY tomorrow's Tomorrow",
]


def _sample_texts() -> list[str]:
    reuters = shared_path("corpora", "reuters21578", "reut2-000.sgm")
    bbc = discover([shared_path("corpora", "bbc")]).files[::20]
    texts = [a.text for a in islice(read_reuters(reuters, reuters.name), 300) if isinstance(a, Article)]
    texts += [a.text for f in bbc for a in read_file(f) if isinstance(a, Article)]
    return texts + EDGE_CASES


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return _sample_texts()


def _positions(text: str) -> list[int]:
    """Every place where a cue ending in blanks can end, and every span start."""
    after_blank = [i for i in range(len(text) + 1) if i and text[i - 1].isspace()]
    return sorted(set(after_blank) | {s.start for s in people.body_spans(text)})


def _same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    return (a is None) == (b is None) and (a is None or (a.span(), a.groups()) == (b.span(), b.groups()))


def test_every_cue_before_a_span_matches_as_its_plain_search(texts: list[str]):
    cues = {f"{module.__name__}.{name}": value for module in (people, organisations, countries)
            for name, value in vars(module).items() if isinstance(value, Before)}
    assert len(cues) == 10  # determiner, acronym, institution, job, work, award; acronym, title, firm; listed in
    checked = 0
    for text in texts:
        for pos in _positions(text):
            for name, cue in cues.items():
                plain = cue.pattern.search(text, max(0, pos - cue.width), pos)
                assert _same(cue.search(text, pos), plain), (name, text[max(0, pos - cue.width):pos])
                checked += plain is not None
    assert checked > 500  # the comparison saw real matches, not only misses


def test_the_word_before_a_span_is_the_plain_patterns_word(texts: list[str]):
    plain = re.compile(r"([A-Za-z][\w-]*)[,]?\s+$")
    words = 0
    for text in texts:
        for pos in _positions(text):
            m = plain.search(text, max(0, pos - 40), pos)
            assert people._word_before(text, pos) == (m.group(1).lower() if m else ""), text[max(0, pos - 40):pos]
            words += m is not None
    assert words > 10_000


def test_date_patterns_find_what_a_leading_word_boundary_finds(texts: list[str]):
    word_starts = [(kind, p) for kind, p in dates._PATTERNS if isinstance(p, dates._WordStart)]
    assert len(word_starts) == 8
    found = 0
    for text in texts:
        for kind, p in word_starts:
            plain = [(m.span(), m.groups()) for m in re.finditer(r"\b" + p.pattern.pattern, text)]
            assert [(m.span(), m.groups()) for m in p.finditer(text)] == plain, (kind, text[:80])
            found += len(plain)
    assert found > 1000


def test_date_patterns_skipped_by_their_pieces_have_no_match_without_them(texts: list[str]):
    patterns = dict(dates._PATTERNS)
    for text in texts:
        for kind, pieces in dates._NEEDS.items():
            if not any(piece in text for piece in pieces):
                assert not list(patterns[kind].finditer(text)), (kind, text[:80])


def _bands_by_definition(text: str) -> tuple[str, ...]:
    """MinHash bands as first written: each 5-word shingle joined and hashed on its own."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < MIN_WORDS:
        return ()
    shingles = {zlib.crc32(" ".join(words[i:i + SHINGLE]).encode()) for i in range(len(words) - SHINGLE + 1)}
    values = np.fromiter(shingles, dtype=np.uint64, count=len(shingles))
    signature = ((values[:, None] * _A[None, :] + _B[None, :]) % _PRIME).min(axis=0).reshape(BANDS, ROWS)
    return tuple(f"b{i}x{zlib.crc32(row.tobytes()):08x}" for i, row in enumerate(signature))


def test_minhash_bands_are_those_of_the_definition(texts: list[str]):
    assert [lsh_bands(t) for t in texts] == [_bands_by_definition(t) for t in texts]
    assert sum(bool(lsh_bands(t)) for t in texts) > 300
