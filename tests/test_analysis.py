"""The shared analyzer: the same stems on both sides, offsets for highlighting."""

from __future__ import annotations

from indexer.analysis import news_analyzer


def terms(text: str) -> list[str]:
    return [t.text for t in news_analyzer()(text)]


def test_stemming_meets_in_the_middle_both_ways():
    assert terms("denuclearize") == terms("denuclearization")
    assert terms("talks") == terms("talk") == terms("talking")
    assert terms("countries") == terms("country")


def test_stop_words_and_case_are_dropped():
    assert terms("The Talks on the Peninsula") == terms("talks peninsula")


def test_abbreviations_and_numbers_are_not_stemmed():
    assert terms("U.S. forces 3.5 pct") == ["u.s", "forc", "3.5", "pct"]


def test_offsets_point_at_the_original_words():
    text = "Kono and Pompeo agreed on denuclearization."
    # Whoosh reuses one Token object, so copy what each step yields.
    tokens = [(t.text, t.startchar, t.endchar, t.pos)
              for t in news_analyzer()(text, chars=True, positions=True)]
    spans = {stem: text[start:end] for stem, start, end, _ in tokens}
    assert spans["denuclear"] == "denuclearization"
    assert spans["pompeo"] == "Pompeo"
    assert [pos for *_, pos in tokens] == sorted(pos for *_, pos in tokens)


def test_indexed_form_agrees_with_the_analyzer():
    """Highlighting uses indexed_form per word; it must mark what the index matched."""
    import re

    from indexer.analysis import TOKEN_PATTERN, indexed_form
    text = ("The U.S. and Japan agreed on Monday to 3.5 pct talks about denuclearization; "
            "Kim Jong-un's officials, a Korean Peninsula, it's THE shipments of 1,000 tons.")
    words = [indexed_form(w) for w in re.findall(TOKEN_PATTERN, text)]
    assert [w for w in words if w] == terms(text)


def test_the_tokenizer_splits_as_nltks_own_regexp_tokenizer():
    """The analyzer compiles NLTK's pattern itself (without nltk.redos's per-match
    guard): the spans must stay NLTK's, accents written as combining marks, superscripts
    and dotted abbreviations included, on every article of the bundled corpus."""
    from nltk.tokenize import RegexpTokenizer

    from indexer.analysis import TOKEN_PATTERN, _nltk_tokenizer
    from tests.conftest import REPO

    nltk_own = RegexpTokenizer(TOKEN_PATTERN)
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus").glob("*.txt"))]
    texts.append("Cafe\u0301 x\u00b2 \u00bd U.S. 3.5 pct na\u00efve \u0645\u064e\u0631\u062d\u064e\u0628\u064b\u0627")
    for text in texts:
        assert list(_nltk_tokenizer.span_tokenize(text)) == list(nltk_own.span_tokenize(text))
