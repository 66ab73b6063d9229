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
