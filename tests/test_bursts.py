"""Bursts (issue 14): Kleinberg's two-state batched automaton, checked by hand on a
small example, against an exhaustive search over every state sequence, on a synthetic
timeline with a known burst, and on both engines through the API, the CLI and the
search page's timeline."""

from __future__ import annotations

import itertools
import json
import math
import random

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.insights.bursts import _cost, _rates, burst_states, bursts, search_bursts
from indexer.search.model import SearchRequest


def test_a_hand_checked_example():
    # 4 batches of 10 articles, 1, 1, 8, 1 relevant: p0 = 11/40, p1 = 2 p0 = 0.55.
    # Batch 3 in the burst state saves 8 ln(p1/p0) + 2 ln((1-p1)/(1-p0)) = 4.591 > ln 4,
    # the cost of entering it; the others would cost 3.6 more each in it.
    found = bursts([("d1", 1, 10), ("d2", 1, 10), ("d3", 8, 10), ("d4", 1, 10)])
    assert [(b.start, b.end) for b in found] == [("d3", "d3")]
    assert found[0].weight == pytest.approx(8 * math.log(2) + 2 * math.log(0.45 / 0.725))


def _sequence_cost(states, relevant, total, s=2.0, gamma=1.0):
    rates = _rates(sum(relevant), sum(total), s)
    cost = sum(_cost(rates[q], r, d) for q, r, d in zip(states, relevant, total, strict=True))
    return cost + gamma * math.log(len(states)) * sum(
        1 for prev, q in zip((0, *states), states, strict=False) if q > prev)


@pytest.mark.parametrize("seed", range(30))
def test_the_viterbi_states_are_the_cheapest_sequence(seed):
    """Against every one of the 2^9 state sequences (ties may pick either)."""
    rng = random.Random(seed)
    total = [rng.randint(0, 30) for _ in range(9)]
    relevant = [rng.randint(0, d) for d in total]
    if sum(relevant) == 0 or sum(relevant) >= sum(total):
        relevant[0], total[0] = 1, 5
    best = min(_sequence_cost(states, relevant, total)
               for states in itertools.product((0, 1), repeat=len(total)))
    assert _sequence_cost(burst_states(relevant, total), relevant, total) == \
        pytest.approx(best, abs=1e-9)


def test_a_synthetic_timeline_with_a_known_burst():
    # 60 days of 200 articles, 4 relevant a day, 30 a day on days 25-31.
    rows = [(f"day-{t:02d}", 30 if 25 <= t <= 31 else 4, 200) for t in range(60)]
    found = bursts(rows)
    assert [(b.start, b.end) for b in found] == [("day-25", "day-31")]
    assert found[0].weight > 0


def test_no_burst_in_a_flat_timeline_nor_without_matches():
    assert bursts([(str(t), 5, 100) for t in range(30)]) == []
    assert bursts([(str(t), 0, 100) for t in range(30)]) == []
    assert bursts([(str(t), 100, 100) for t in range(30)]) == []  # every article matches
    assert bursts([]) == []


# A real query with a burst made on purpose: "tonnes" all along, plus every article of
# 3 March 1987 mentioning "the" (the query language's date: filter).
BURSTY = "tonnes OR (the AND date:1987-03-03)"


def test_a_known_burst_on_both_engines(reuters_engine):
    interval, found = search_bursts(reuters_engine, SearchRequest(query=BURSTY))
    assert interval == "day"
    assert found and found[0].start <= "1987-03-03" <= found[0].end
    rows = reuters_engine.timeline(SearchRequest(query=BURSTY)).rows()
    assert found == bursts(rows)  # exactly the algorithm over the engine's own timeline


def test_the_api_and_the_cli_list_start_end_weight(reuters_web, reuters_location,
                                                   reuters_engine):
    resp = reuters_web.get("/api/bursts", query_string={"q": BURSTY})
    assert resp.status_code == 200
    data = resp.get_json()
    _, found = search_bursts(reuters_engine, SearchRequest(query=BURSTY))
    assert data == [b.to_json() for b in found] and set(data[0]) == {"start", "end", "weight"}
    cli = CliRunner().invoke(main, ["bursts", BURSTY, "--index", reuters_location,
                                    "--format", "json"])
    assert cli.exit_code == 0 and json.loads(cli.output) == data
    table = CliRunner().invoke(main, ["bursts", BURSTY, "--index", reuters_location])
    assert f"{found[0].start} to {found[0].end}" in table.output


def test_bad_input_is_a_message(reuters_web, reuters_location):
    assert reuters_web.get("/api/bursts?q=oil+(grain").status_code == 400
    resp = reuters_web.get("/api/bursts?q=oil&interval=decade")
    assert resp.status_code == 400 and "interval" in resp.get_json()["error"]["message"]
    cli = CliRunner().invoke(main, ["bursts", "oil (grain", "--index", reuters_location])
    assert cli.exit_code == 2 and "Traceback" not in cli.output


def test_the_search_page_marks_bursts_on_its_timeline(reuters_web, reuters_engine):
    _, found = search_bursts(reuters_engine, SearchRequest(query=BURSTY))
    page = reuters_web.get("/", query_string={"q": BURSTY}).get_data(as_text=True)
    assert page.count('class="burst-band"') == len(found)
    assert f"Burst: {found[0].start}" in page


def test_a_burst_neither_starts_nor_ends_on_an_empty_bucket():
    # a weekend (no articles at all) on each side of a two-day burst
    rows = [("mon", 2, 100), ("tue", 2, 100), ("sat", 0, 0), ("sun", 0, 0), ("mon2", 30, 100),
            ("tue2", 30, 100), ("sat2", 0, 0), ("wed", 2, 100), ("thu", 2, 100), ("fri", 2, 100)]
    assert [(b.start, b.end) for b in bursts(rows)] == [("mon2", "tue2")]
