"""Bursts: periods when a search's coverage rose well above its usual rate.

Kleinberg's two-state automaton for batched arrivals ("Bursty and Hierarchical Structure
in Streams", KDD 2002 / DMKD 2003, §4 "Enumerating bursts"): in batch t (a timeline
bucket) r_t of the d_t articles match. The base state expects the overall rate
p0 = R / D, the burst state s times it. Being in state i at t costs
sigma_i(t) = -ln[C(d_t, r_t) p_i^r_t (1 - p_i)^(d_t - r_t)]; entering the burst state
costs gamma * ln n (n batches), leaving it nothing. The cheapest state sequence (Viterbi)
marks the bursts: each maximal run of the burst state, weighted by
sum_t sigma_0(t) - sigma_1(t), how much better the burst rate explains those batches.

Written here rather than taken from PyPI: ``burst_detection`` (0.1.3, last release
January 2018, pulls in pandas and sympy) and ``pybursts`` (0.1.1, 2014, the unbatched
variant) are unmaintained, and the batched two-state algorithm is a few lines.

It runs on the counts a timeline already holds (matching and all per bucket), so the
search page marks bursts without asking the engine anything more.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.search.engine import Engine
from indexer.search.model import SearchRequest

#: Kleinberg's defaults: the burst state's rate is S times the base rate, and entering it
#: costs GAMMA * ln(n).
S = 2.0
GAMMA = 1.0
_MAX_RATE = 1.0 - 1e-9  # p1 = s * p0 is capped below 1 so that ln(1 - p1) is defined


@dataclass(frozen=True)
class Burst:
    start: str  # first bucket of the burst (a timeline label)
    end: str  # last bucket, inclusive
    weight: float  # Kleinberg's weight: sum of sigma_0 - sigma_1 over the burst

    def to_json(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "weight": round(self.weight, 4)}


def _cost(rate: float, relevant: int, total: int) -> float:
    """sigma without the binomial coefficient, which is the same in both states at one
    batch and so changes neither the cheapest sequence nor the weights."""
    if total == 0:
        return 0.0
    return -(relevant * math.log(rate) + (total - relevant) * math.log1p(-rate))


def burst_states(relevant: Sequence[int], total: Sequence[int], s: float = S,
                 gamma: float = GAMMA) -> list[int]:
    """The cheapest state (0 base, 1 burst) of each batch, starting in the base state."""
    n = len(relevant)
    r_all, d_all = sum(relevant), sum(total)
    if n == 0 or r_all == 0 or r_all >= d_all:
        return [0] * n  # no matches, or every article matches: no rate to rise above
    rates = _rates(r_all, d_all, s)
    enter = gamma * math.log(n)
    cost = [0.0, math.inf]  # before the first batch: in the base state
    back: list[tuple[int, int]] = []  # per batch: the best previous state of each state
    for r, d in zip(relevant, total, strict=True):
        into_base = 0 if cost[0] <= cost[1] else 1  # leaving a burst is free
        into_burst = 0 if cost[0] + enter < cost[1] else 1
        back.append((into_base, into_burst))
        cost = [cost[into_base] + _cost(rates[0], r, d),
                (cost[0] + enter if into_burst == 0 else cost[1]) + _cost(rates[1], r, d)]
    state = 0 if cost[0] <= cost[1] else 1
    states = []
    for prev in reversed(back):
        states.append(state)
        state = prev[state]
    return states[::-1]


def _rates(relevant: int, total: int, s: float) -> tuple[float, float]:
    return relevant / total, min(s * relevant / total, _MAX_RATE)


def bursts(buckets: Sequence[tuple[str, int, int]], s: float = S,
           gamma: float = GAMMA) -> list[Burst]:
    """The bursts of a timeline's (bucket, matching, all) rows, strongest first."""
    relevant = [count for _, count, _ in buckets]
    total = [max(every, count) for _, count, every in buckets]
    states = burst_states(relevant, total, s, gamma)
    found: list[Burst] = []
    if not any(states):
        return found
    rates = _rates(sum(relevant), sum(total), s)
    start = None
    for i, state in enumerate([*states, 0]):
        if state and start is None:
            start = i
        elif not state and start is not None:
            found.extend(_trimmed(buckets, relevant, total, rates, start, i))
            start = None
    return sorted(found, key=lambda b: -b.weight)


def search_bursts(engine: Engine, req: SearchRequest, interval: str | None = None
                  ) -> tuple[str, list[Burst]]:
    """(interval, bursts) of a search's timeline: one engine request."""
    dates = engine.timeline(req, interval)
    return dates.interval, bursts(dates.rows())


def _trimmed(buckets: Sequence[tuple[str, int, int]], relevant: list[int], total: list[int],
             rates: tuple[float, float], start: int, end: int) -> list[Burst]:
    """The burst of batches start..end-1 without empty batches at its ends (an empty
    bucket, a weekend, costs nothing in either state, so a burst would otherwise swallow
    the quiet days around it), with its weight."""
    dated = [t for t in range(start, end) if total[t]]
    if not dated:
        return []
    first, last = dated[0], dated[-1]
    weight = sum(_cost(rates[0], relevant[t], total[t]) - _cost(rates[1], relevant[t], total[t])
                 for t in range(first, last + 1))
    return [Burst(buckets[first][0], buckets[last][0], weight)]


def bursts_table(interval: str, found: Sequence[Burst]) -> str:
    """``newsearch bursts`` output: one line per burst, strongest first."""
    if not found:
        return f"No bursts (by {interval}).\n"
    lines = [f"{len(found)} burst{'s' if len(found) != 1 else ''} (by {interval}, "
             f"strongest first):"]
    lines += [f"  {b.start} to {b.end}  weight {b.weight:.1f}" for b in found]
    return "\n".join(lines) + "\n"
