"""Ranking additions both engines share, applied to the neutral tree (docs/ranking.md).

A proximity bonus: when a query is two or more plain words, an article whose body has
them close together, in the query's order, scores the words' body scores once more
times ``PROXIMITY_WEIGHT``. It is written as ``Or(words, Phrase(body, words, slop))``:
the phrase's articles all match the words, so the Or matches the same articles and
only their scores change; each engine runs it with the phrase code it already has.
"""

from __future__ import annotations

from indexer.search import tree as t

PROXIMITY_SLOP = 5  # each word at most this many positions after the previous one
PROXIMITY_WEIGHT = 1.0  # 0: no bonus (bench/relevance.py measured 0.5, 1 and 2)
#: Whoosh checks positions for this many best articles by the base score only: checking
#: every match in Python cost up to +120 ms a search ("net loss": 1,315 articles).
PROXIMITY_WINDOW = 100


def _plain_word(node: t.Node) -> str | None:
    """The word of ``title:w^x OR body:w`` (how a plain query word is parsed), else None."""
    if not isinstance(node, t.Or) or len(node.parts) != 2:
        return None
    if not all(isinstance(p, t.Term) for p in node.parts):
        return None
    texts = {p.text for p in node.parts}  # type: ignore[attr-defined]
    fields = {p.field for p in node.parts}  # type: ignore[attr-defined]
    return texts.pop() if len(texts) == 1 and fields == {"title", "body"} else None


def proximity_phrase(user: t.Node) -> t.Phrase | None:
    """The bonus phrase of ``user`` when it is an AND of two or more plain words."""
    if PROXIMITY_WEIGHT <= 0 or not isinstance(user, t.And) or len(user.parts) < 2:
        return None
    found = [_plain_word(p) for p in user.parts]
    if any(w is None for w in found):
        return None
    return t.Phrase("body", tuple(w for w in found if w is not None), PROXIMITY_SLOP,
                    PROXIMITY_WEIGHT)


def with_proximity(user: t.Node) -> t.Node:
    """``user`` with the proximity bonus as one tree (OpenSearch runs it natively)."""
    phrase = proximity_phrase(user)
    return user if phrase is None else t.Or((user, phrase))
