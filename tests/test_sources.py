"""Readers: each input format becomes Articles with the right fields, quirks survived."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path

from indexer.article import Article, Problem
from indexer.sources import SourceFile, detect_format, discover, read_file
from indexer.sources.plaintext import parse_text, split_dateline
from indexer.sources.reuters import parse_date
from tests.conftest import SAMPLE, shared_path


def read_all(path: Path, rel: str, fmt: str) -> tuple[list[Article], list[Problem]]:
    items = list(read_file(SourceFile(path, rel, fmt)))
    return ([i for i in items if isinstance(i, Article)],
            [i for i in items if isinstance(i, Problem)])


# -- plain-text scraped pages -------------------------------------------------------

def test_sample_page_loses_its_page_furniture():
    article = parse_text(shared_path("samples", SAMPLE.name).read_text("utf-8"),
                         id="kono.txt")
    assert article.title == "Kono hurries to meet Pompeo as Iran casts shadow on Asia diplomacy"
    assert article.dateline == "TOKYO"
    assert article.body.startswith("The top Japanese and U.S. diplomats agreed in Jordan")
    assert "print PRINT" not in article.body
    assert "Trending Japan" not in article.body and "•" not in article.body
    assert article.body.rstrip().endswith("Kono appears to have received details of their talks.")


def test_sidecar_json_gives_the_publication_date(tmp_path):
    page = tmp_path / "kono.txt"
    page.write_text(SAMPLE.read_text("utf-8") if SAMPLE.exists() else "Title\n\nBody text.")
    (tmp_path / "kono.json").write_text(json.dumps({"date": "2018-05-02", "url": "https://x"}))
    [article], problems = read_all(page, "kono.txt", "text")
    assert problems == []
    assert article.published == datetime(2018, 5, 2)
    assert article.url == "https://x"
    files = discover([tmp_path]).files
    assert [f.rel for f in files] == ["kono.txt"], "the sidecar is not an article of its own"


def test_front_matter_is_metadata_not_text():
    text = ("---\ndate: 2017-09-15T00:00:00\nsource: europe.chinadaily.com.cn\n"
            "authors: Jane Doe, John Roe\n---\nNew DPRK missile launch\n\nMOSCOW — The Kremlin said.")
    article = parse_text(text, id="a.txt")
    assert article.title == "New DPRK missile launch"
    assert article.published == datetime(2017, 9, 15)
    assert article.source == "europe.chinadaily.com.cn"
    assert article.authors == ("Jane Doe", "John Roe")
    assert (article.dateline, article.body) == ("MOSCOW", "The Kremlin said.")


def test_datelines_in_common_wire_styles():
    assert split_dateline("WASHINGTON (Reuters) - The Fed said") == ("WASHINGTON", "The Fed said")
    assert split_dateline("BEIJING -- China on Friday said") == ("BEIJING", "China on Friday said")
    assert split_dateline("SEOUL, South Korea — North Korea fired")[0] == "SEOUL, South Korea"
    assert split_dateline("The meeting in Amman - a surprise") == (
        "", "The meeting in Amman - a surprise")


# -- Reuters-21578 ------------------------------------------------------------------

def test_reuters_record_fields_and_gold_tags():
    path = shared_path("corpora", "reuters21578", "reut2-000.sgm")
    articles, problems = read_all(path, "reut2-000.sgm", "reuters")
    assert len(articles) == 1000 and problems == []
    first = articles[0]
    assert first.id == "reuters-1"
    assert first.title == "BAHIA COCOA REVIEW"
    assert first.published == datetime(1987, 2, 26, 15, 1, 1, 790000)
    assert first.dateline == "Salvador"
    assert first.body.startswith("Showers continued throughout the week in the Bahia cocoa zone")
    assert first.gold_places == ("el-salvador", "usa", "uruguay")
    assert "&#" not in first.body and "\x03" not in first.body
    briefs = [a for a in articles if a.title.startswith("ASSETS OF MONEY MARKET MUTUAL FUNDS")]
    assert briefs and briefs[0].body == "", "the 'Blah blah blah.' placeholder is not text"


def test_reuters_date_quirks_from_source_md():
    assert parse_date("27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM") == (
        datetime(1987, 3, 27, 0, 2, 59, 130000), None)
    assert parse_date(" 5-MAR-1987  09:12:58.31")[0] == datetime(1987, 3, 5, 9, 12, 58, 310000)
    assert parse_date("1-APR-1987 16:22:00.0")[0] == datetime(1987, 4, 1, 16, 22)
    assert parse_date(" 9-APR-1987 00:00:00.00    # date added by S Finch as guesswork")[0] == \
        datetime(1987, 4, 9)
    kept, warning = parse_date("31-MAR-1987 605:12:19.12")
    assert kept == datetime(1987, 3, 31) and "malformed time" in warning
    assert parse_date("garbage") == (None, "malformed DATE 'garbage'")


def test_reuters_file_with_stray_latin1_byte_and_the_bad_hour():
    path = shared_path("corpora", "reuters21578", "reut2-017.sgm")
    articles, problems = read_all(path, "reut2-017.sgm", "reuters")
    assert len(articles) == 1000
    by_id = {a.id: a for a in articles}
    assert by_id["reuters-17192"].published == datetime(1987, 3, 31)
    assert [(p.path, p.kind, p.skipped) for p in problems] == [
        ("reut2-017.sgm#NEWID=17192", "date", False)]
    assert "\ufffd" not in by_id["reuters-17980"].body


def test_reuters_folder_reads_only_the_sgml():
    folder = shared_path("corpora", "reuters21578")
    found = discover([folder])
    files, problems = found.files, found.problems
    assert problems == []
    assert len(files) == 22 and {f.format for f in files} == {"reuters"}


def test_unproc_records_keep_their_text(tmp_path):
    sgm = tmp_path / "x.sgm"
    sgm.write_text('<REUTERS NEWID="5"><DATE>26-FEB-1987 15:01:01.79</DATE>'
                   '<TEXT TYPE="UNPROC">&#2;\nFEDERAL RESERVE WEEKLY REPORT 1 - FEB 26\n'
                   ' Net free reserves.............644 vs.....1,337\n</TEXT></REUTERS>')
    [article], _ = read_all(sgm, "x.sgm", "reuters")
    assert article.title == "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26"
    assert "Net free reserves" in article.body


# -- BBC ----------------------------------------------------------------------------

def test_bbc_layout_gives_category_and_stable_ids():
    path = shared_path("corpora", "bbc", "business", "001.txt")
    assert detect_format(path) == "bbc"
    [article], problems = read_all(path, "business/001.txt", "bbc")
    assert problems == []
    assert article.id == "bbc-business-001" and article.category == "business"
    assert article.title == "Ad sales boost Time Warner profit"
    assert article.body.startswith("Quarterly profits at US media giant TimeWarner jumped 76%")
    assert article.published is None


def test_bbc_latin1_pound_sign_is_read_and_reported():
    path = shared_path("corpora", "bbc", "sport", "199.txt")
    [article], [problem] = read_all(path, "sport/199.txt", "bbc")
    assert "£15.8m" in article.body
    assert problem.kind == "encoding" and not problem.skipped
    assert "0xA3" in problem.reason


# -- JSON ---------------------------------------------------------------------------

def test_news_please_json():
    folder = shared_path("corpora", "giveme5w1h", "news_cluster", "data")
    path = next(iter(sorted(folder.glob("*.json"))))
    [article], problems = read_all(path, f"news_cluster/data/{path.name}", "json")
    record = json.loads(path.read_text("utf-8"))
    assert problems == []
    assert article.title == record["title"]
    assert article.published == datetime.fromisoformat(record["date_publish"])
    assert article.source == record["source_domain"]


def test_gold_standard_date_string_none_is_no_date():
    folder = shared_path("corpora", "giveme5w1h", "gold_standard", "data")
    path = next(folder.glob("7aa3386d*.json"))
    [article], problems = read_all(path, path.name, "json")
    assert article.published is None and problems == []
    assert article.title.startswith("Plenty of heroes, no goats")


def test_json_lines_with_a_broken_line_keep_the_good_ones(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"title": "One", "text": "first body"}\n{"title": "Two", "te\n'
                    '{"title": "Three", "text": "third", "date_publish": "9999-01-01"}\n')
    articles, problems = read_all(path, "feed.jsonl", "json")
    assert [a.id for a in articles] == ["feed.jsonl#1", "feed.jsonl#3"]
    assert [(p.path, p.kind) for p in problems] == [("feed.jsonl#2", "malformed"),
                                                      ("feed.jsonl#3", "date")]
    assert articles[1].published is None


def test_json_that_is_not_an_article_is_reported():
    path = shared_path("corpora", "giveme5w1h", "news_cluster", "sampling.json")
    articles, [problem] = read_all(path, "sampling.json", "json")
    assert articles == [] and problem.kind == "not-an-article"


# -- HTML ---------------------------------------------------------------------------

def test_html_page_through_trafilatura():
    folder = shared_path("corpora", "html", "readability", "nytimes-1")
    [article], _ = read_all(folder / "source.html", "nytimes-1/source.html", "html")
    assert article.title == "United States to Lift Sudan Sanctions"
    assert "Sudan" in article.body and len(article.body) > 2000
    assert "<p>" not in article.body


def test_gzipped_html_page():
    path = next(iter(sorted(shared_path("corpora", "html", "aeb", "html").glob("*.html.gz"))))
    truth = json.loads(shared_path("corpora", "html", "aeb", "ground-truth.json").read_text())
    expected = truth[path.name.removesuffix(".html.gz")]["articleBody"]
    [article], _ = read_all(path, path.name, "html")
    words = set(expected.split()[:60])
    assert len(words & set(article.body.split())) > 0.8 * len(words)


def test_truncated_gzip_is_reported(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(b"<html><body><p>hello</p></body></html>")[:20])
    articles, [problem] = read_all(path, "page.html.gz", "html")
    assert articles == [] and problem.kind == "truncated"


def test_reuters_dateline_keeps_the_state_and_drops_the_date():
    from indexer.sources.reuters import clean_dateline
    assert clean_dateline("    SAN MATEO, Calif., March 4 - ") == "San Mateo, Calif."
    assert clean_dateline("    CALGARY, Alberta, March 25 - ") == "Calgary, Alberta"
    assert clean_dateline("    WASHINGTON, Mar 4 - ") == "Washington"


def test_authors_in_the_shapes_sources_write_them():
    from indexer.sources.metadata import split_authors
    assert split_authors("['Jeffrey Gettleman', 'Min Read']") == ("Jeffrey Gettleman", "Min Read")
    assert split_authors("By Jane Doe and John Roe") == ("Jane Doe", "John Roe")
    assert split_authors("Sarah E. Needleman; Jamelle Bouie") == ("Sarah E. Needleman",
                                                                  "Jamelle Bouie")
    assert split_authors(["A", "A", " "]) == ("A",)
    assert split_authors(None) == ()


def test_collection_docs_are_skipped_but_pages_named_source_are_read(tmp_path):
    for name in ("README.TXT", "SOURCE.md", "LICENSE", "SHA256SUMS", "MANIFEST.tsv"):
        assert detect_format(tmp_path / name) is None, name
    assert detect_format(tmp_path / "source.html") == "html"
    assert detect_format(tmp_path / "readme-first.txt") == "text"
