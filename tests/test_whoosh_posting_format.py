"""newsearch's posting format (indexer/engines/whoosh/codec.py): an index written in it
answers exactly as one in Whoosh's own W3 format, for Whoosh's own searcher and for
newsearch, and an index built before it keeps working and is upgraded as it is merged.

The W3 indexes here are written by Whoosh's stock ``W3Codec``, as newsearch did before
this format (its files were byte for byte W3's and its segments named ``W3Codec``).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec, W3TermInfo
from whoosh.filedb.structfile import StructFile
from whoosh.formats import Characters, Frequency, Positions
from whoosh.qparser import QueryParser
from whoosh.system import pack_uint

import indexer.engines.whoosh.codec as codec
import indexer.engines.whoosh.writer as whoosh_writer
from indexer.build import build_index
from indexer.cli import main
from indexer.engines.whoosh.codec import ArrayCodec, ArrayLeafMatcher, read_postings
from indexer.engines.whoosh.writer import optimize_index
from indexer.search.engine import open_engine
from indexer.search.model import SearchRequest
from tests.conftest import write_reuters_files

# Words (one block and many: "said" is in most of the 600 articles), AND, OR, NOT,
# phrases with and without slop, keyword and id fields, wildcards, titles.
QUERIES = ["said", "coffee", "oil prices", "oil OR gas", "trade -japan", '"interest rates"',
           '"said it"', '"bank of japan"', '"prices rose"~3', "export*", "title:oil",
           "country_code:us", "country_code:gb oil", "source:reuters wheat", "NOT said"]


def _build_w3(paths: list[Path], index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An index as newsearch wrote it before its own posting format: Whoosh's W3Codec."""
    with monkeypatch.context() as patch:
        patch.setattr(whoosh_writer, "ArrayCodec", W3Codec)
        build_index(paths, index_dir)


def _codecs(index_dir: Path) -> list[type]:
    return [type(s.codec()) for s in whoosh_index.open_dir(str(index_dir))._segments()]


def _whoosh_hits(index_dir: Path, text: str, limit: int | None) -> list[tuple[str, float]]:
    """(id, score) of Whoosh's own searcher, no newsearch code in the way."""
    ix = whoosh_index.open_dir(str(index_dir))
    with ix.searcher() as searcher:
        found = searcher.search(QueryParser("body", ix.schema).parse(text), limit=limit)
        return [(hit["id"], hit.score) for hit in found]


def _held(index_dir: Path, article_id: str) -> bool:
    """Whether Whoosh's own searcher finds the article (deleted ones are not found)."""
    with whoosh_index.open_dir(str(index_dir)).searcher() as searcher:
        return searcher.document_number(id=article_id) is not None


def _our_hits(index_dir: Path, text: str) -> tuple[int, list[tuple[str, float | None]]]:
    result = open_engine(index_dir).search(SearchRequest(query=text, limit=100))
    return result.total, [(h.id, h.score) for h in result.hits]


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 Reuters articles in two files."""
    return write_reuters_files(tmp_path_factory.mktemp("articles"),
                           {"a.sgm": (1, 300), "b.sgm": (301, 600)})


@pytest.fixture(scope="module")
def both(articles: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same articles indexed in W3's format and in newsearch's."""
    w3, ours = tmp_path_factory.mktemp("w3"), tmp_path_factory.mktemp("ours")
    with pytest.MonkeyPatch.context() as patch:
        _build_w3([articles], w3, patch)
    build_index([articles], ours)
    return w3, ours


def test_new_segments_name_newsearchs_codec(both: tuple[Path, Path]) -> None:
    w3, ours = both
    assert set(_codecs(w3)) == {W3Codec}
    assert set(_codecs(ours)) == {ArrayCodec}


@pytest.mark.parametrize("text", QUERIES)
def test_whoosh_own_searcher_gives_the_same_hits_and_scores(both: tuple[Path, Path], text: str) -> None:
    """Every hit, and the top 10 (Whoosh skips blocks by their maximum weight there)."""
    w3, ours = both
    every = _whoosh_hits(w3, text, None)
    assert every
    assert _whoosh_hits(ours, text, None) == every
    assert _whoosh_hits(ours, text, 10) == _whoosh_hits(w3, text, 10)


@pytest.mark.parametrize("text", QUERIES)
def test_newsearch_gives_the_same_results_and_scores(both: tuple[Path, Path], text: str) -> None:
    """Totals, order and scores of newsearch's own evaluator (proximity bonus included)."""
    w3, ours = both
    total, hits = _our_hits(w3, text)
    assert total > 0
    assert _our_hits(ours, text) == (total, hits)


def written(fmt, postings: list[tuple[int, float, bytes]]) -> bytes:
    """One term's posting list as ``ArrayCodec`` writes it."""
    buf = io.BytesIO()
    writer = ArrayCodec().postings_writer(StructFile(buf))
    writer.start_postings(fmt, W3TermInfo())
    for posting in postings:
        writer.add_posting(*posting)
    writer.finish_postings()
    return buf.getvalue()


def matched(fmt, data: bytes) -> list[tuple[int, float, bytes]]:
    """(id, weight, value) of every posting, as Whoosh's matcher walks them."""
    m = ArrayLeafMatcher(StructFile(io.BytesIO(data)), 0, len(data), fmt)
    seen = []
    while m.is_active():
        seen.append((m.id(), m.weight(), m.value()))
        m.next()
    return seen


def test_postings_read_back_as_written() -> None:
    """Ids with small and large gaps, each kind of weights, short and long values: what
    Whoosh's matcher and newsearch's reader return is what was written."""
    cases = [
        ([5], [1.0], [b"x"]),
        (list(range(0, 128)), [1.0] * 128, [b"ab"] * 128),
        ([3, 300, 70_000, 5_000_000], [2.0] * 4, [b"v" * 300, b"e", b"w", b"q" * 70]),
        (list(range(10, 400, 3)), [float(i % 7 + 1) for i in range(130)], [b"p%d" % i for i in range(130)]),
        ([1, 2, 9], [0.5, 1.25, 300.0], [b"a", b"bb", b"ccc"]),
    ]
    fmt = Characters()  # values of a format other than Positions are kept as they are
    for ids, weights, values in cases:
        data = written(fmt, list(zip(ids, weights, values, strict=True)))
        assert matched(fmt, data) == list(zip(ids, weights, values, strict=True))
        got_ids, got_weights, blocks = read_postings(data, max(ids) + 1)
        assert got_ids.tolist() == ids and got_weights.tolist() == weights
        assert [v for b in blocks for v in b.split()] == values


# One position, gaps past one and two bytes, more than 255 positions in a posting.
POSITIONS = [[0], [7], [3, 10, 200, 70_000], list(range(0, 3000, 10)), [5, 6, 7, 300],
             [65_535, 65_536]] * 30


def test_positions_read_back_as_whoosh_decodes_them() -> None:
    """A text field's positions, stored as arrays: Whoosh's matcher gets each value as
    Whoosh encodes it, and newsearch reads the same positions without unpickling."""
    fmt = Positions()
    postings = [(i * 3, float(len(p)), fmt.encode(p)) for i, p in enumerate(POSITIONS)]
    data = written(fmt, postings)
    assert matched(fmt, data) == postings
    _, _, blocks = read_postings(data, len(POSITIONS) * 3)
    assert [b.positions(i) for b in blocks for i in range(len(b))] == POSITIONS
    assert [fmt.decode_positions(v) for b in blocks for v in b.split()] == POSITIONS


def test_positions_of_format_1_blocks_read_as_before() -> None:
    """Blocks of the first format keep a text field's values as Whoosh encoded them:
    the same positions come back from both."""
    fmt = Positions()
    small = [[0], [1, 2, 3], [200, 250], [7, 300]] * 25  # gaps in one and in two bytes
    for positions in (POSITIONS[:100], small[:75], small):
        values = [fmt.encode(p) for p in positions]
        ids, weights = list(range(len(values))), [1.0] * len(values)
        for as_arrays in (False, True):
            data, _ = codec.encode_block(ids, weights, values, False, 3, positions=as_arrays)
            _, _, block = codec.read_block(data, len(data))
            assert [block.positions(i) for i in range(len(values))] == positions
            assert block.split() == values


def test_a_damaged_block_of_positions_is_reported_as_damage() -> None:
    """A values-kind byte or a values part that does not parse is a BlockFormatError
    (``store.is_damage`` tells the user the index is damaged), not a KeyError."""
    fmt = Positions()
    values = [fmt.encode(p) for p in POSITIONS[:10]]
    data, compressed = codec.encode_block(list(range(10)), [1.0] * 10, values, False, 3,
                                          positions=True)
    assert compressed
    bad_kind, bad_bytes = bytearray(data), bytearray(data)
    bad_kind[4] |= 3  # the values kind's count-size code 3 names no item size
    bad_bytes[-10] ^= 0xFF  # inside the zlib'd values: its checksum no longer matches
    for broken in (bytes(bad_kind), bytes(bad_bytes)):
        with pytest.raises(codec.BlockFormatError):
            _, _, block = codec.read_block(broken, len(broken))
            block.positions(0)


def test_an_index_of_format_1_answers_as_one_of_format_2(articles: Path, both: tuple[Path, Path],
                                                         tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """An index the first version of this format wrote (positions as Whoosh encoded
    them) opens and answers as before, and a merge rewrites it in the current format."""
    first = tmp_path / "format-1"
    with monkeypatch.context() as patch:
        patch.setattr(codec, "FORMAT_VERSION", 1)
        patch.setattr(codec, "Positions", type("NotPositions", (), {}))  # no arrays in 1
        build_index([articles], first)
    assert {codec.format_version(s.codec())
            for s in whoosh_index.open_dir(str(first))._segments()} == {1}
    _, current = both
    for text in QUERIES:
        assert _our_hits(first, text) == _our_hits(current, text), text
        assert _whoosh_hits(first, text, None) == _whoosh_hits(current, text, None), text
    merged = shutil.copytree(current, tmp_path / "merged")
    optimize_index(first)
    optimize_index(merged)  # merging changes scores a little (segment statistics)
    assert {codec.format_version(s.codec())
            for s in whoosh_index.open_dir(str(first))._segments()} == {codec.FORMAT_VERSION}
    for text in QUERIES:
        assert _our_hits(first, text) == _our_hits(merged, text), text


def test_fixed_size_values_read_back_as_written() -> None:
    """A keyword field's frequencies (a fixed-size value per posting)."""
    fmt = Frequency()
    postings = [(i * 2, float(1 + i % 3), pack_uint(1 + i % 3)) for i in range(200)]
    assert matched(fmt, written(fmt, postings)) == postings


def test_an_index_built_before_opens_updates_and_merges(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A W3 index updated by this code: the new segment is in the new format beside the
    old one, deletions in either hold, and merging rewrites everything in the new
    format. At each step it answers exactly as its twin kept in W3 throughout (the same
    runs with Whoosh's codec: same document numbers, deletions and statistics)."""
    upgraded, twin = tmp_path / "upgraded", tmp_path / "twin"
    folder = write_reuters_files(tmp_path / "articles", {"a.sgm": (1, 300), "b.sgm": (301, 600)})
    _build_w3([folder], upgraded, monkeypatch)
    _build_w3([folder], twin, monkeypatch)
    # The update: 200 more articles, and b.sgm shrunk to 301-500 (100 articles deleted
    # from the old segment).
    write_reuters_files(folder, {"c.sgm": (601, 800), "b.sgm": (301, 500)})
    build_index([folder], upgraded)
    _build_w3([folder], twin, monkeypatch)
    assert _codecs(upgraded) == [W3Codec, ArrayCodec]
    for text in QUERIES:
        assert _our_hits(upgraded, text) == _our_hits(twin, text), text
        assert _whoosh_hits(upgraded, text, None) == _whoosh_hits(twin, text, None), text
    assert not _held(upgraded, "reuters-550")
    assert _held(upgraded, "reuters-450") and _held(upgraded, "reuters-650")
    # Then c.sgm shrunk to 601-700: deletions in the segment of the new format.
    write_reuters_files(folder, {"c.sgm": (601, 700)})
    build_index([folder], upgraded)
    _build_w3([folder], twin, monkeypatch)
    assert not _held(upgraded, "reuters-750") and _held(upgraded, "reuters-650")
    for text in QUERIES:
        assert _our_hits(upgraded, text) == _our_hits(twin, text), text
        assert _whoosh_hits(upgraded, text, None) == _whoosh_hits(twin, text, None), text

    optimize_index(upgraded)
    with monkeypatch.context() as patch:
        patch.setattr(whoosh_writer, "ArrayCodec", W3Codec)
        optimize_index(twin)
    assert _codecs(upgraded) == [ArrayCodec]
    for text in QUERIES:
        assert _our_hits(upgraded, text) == _our_hits(twin, text), text
        assert _whoosh_hits(upgraded, text, None) == _whoosh_hits(twin, text, None), text


def test_an_index_in_a_later_format_asks_for_rebuild(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Written by a newsearch with a later posting format: `newsearch index` says that
    --rebuild is needed instead of failing on the postings, and --rebuild works."""
    folder = write_reuters_files(tmp_path / "articles", {"a.sgm": (1, 50)})
    index = tmp_path / "index"
    with monkeypatch.context() as patch:
        patch.setattr(codec, "FORMAT_VERSION", codec.FORMAT_VERSION + 1)
        build_index([folder], index)
    runner = CliRunner()
    result = runner.invoke(main, ["index", str(folder), "--index", str(index)])
    assert result.exit_code != 0
    assert "later newsearch" in result.output and "--rebuild" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    result = runner.invoke(main, ["index", str(folder), "--index", str(index), "--rebuild"])
    assert result.exit_code == 0, result.output
    assert _codecs(index) == [ArrayCodec]
    shutil.rmtree(index)
