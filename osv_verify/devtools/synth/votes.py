"""Votes: the stations of a municipality, drawn voter by voter from its list shares.

Turnout 60-85 % per station, ~0.3 % blank, ~0.5 % invalid (both below 3 %), ~12 % of the
stations with a difference of 1-2 between admitted voters and ballots, always explained."""

from __future__ import annotations

import array
import itertools
import math
import random
import sys
from collections import Counter
from collections.abc import Sequence

from osv_verify.devtools.synth.ballot import PV, Ballot
from osv_verify.devtools.synth.election import Gemeente

EXPLAIN_FEWER = ("taken_home", "too_few_issued", "no_explanation", "other_explanation")
EXPLAIN_MORE = ("too_many_issued", "no_explanation", "other_explanation")
TABLE_SIZE = 1 << 16
#: Vote tables per municipality: each a variant of its list shares (neighbourhoods differ).
TABLE_VARIANTS = 4


def draw_stations(rng: random.Random, ballot: Ballot, g: Gemeente, category: str,
                  hoods: random.Random | None) -> list[PV]:
    """The PVs of ``g``'s stations as counted; ``hoods``, when given, is the municipality's own
    generator for its neighbourhoods (``neighbourhoods``), so that the election with and
    without them draws the same from ``rng``."""
    base = [ballot.shares[i] * g.share_noise[i] * w
            for i, (o, k) in enumerate(zip(ballot.offsets, ballot.sizes)) for w in ballot.weights[o:o + k]]
    factors = neighbourhoods(hoods, ballot) if hoods is not None else None
    tables: dict[int, list[int]] = {}
    stations = []
    for _ in range(g.n_stations):
        v = rng.randrange(TABLE_VARIANTS)
        if v not in tables:
            tables[v] = vote_table(rng, ballot, base if factors is None else [x * f for x, f in zip(base, factors[v])])
        stations.append(station(rng, ballot, tables[v], category))
    return stations


def vote_table(rng: random.Random, ballot: Ballot, base: Sequence[float]) -> list[int]:
    """A lookup table of 65 536 candidate indices in proportion to ``base`` (times a per-list
    variation): a uniform 16-bit number picks a voter's candidate, so drawing the votes of a
    station is one C-level pass (``randbytes`` -> ``map``) instead of a bisect per voter."""
    weights: list[float] = []
    for o, k in zip(ballot.offsets, ballot.sizes):
        f = rng.lognormvariate(0, 0.12)
        weights += [x * f for x in base[o:o + k]]
    scale = TABLE_SIZE / sum(weights)
    exact = [w * scale for w in weights]
    counts = [int(x) for x in exact]
    rest = TABLE_SIZE - sum(counts)
    for i in sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])[:rest]:
        counts[i] += 1
    return list(itertools.chain.from_iterable(itertools.repeat(i, c) for i, c in enumerate(counts)))


def neighbourhoods(rng: random.Random, ballot: Ballot) -> list[list[float]]:
    """Per neighbourhood (vote table variant) a weight factor per candidate, the structure real
    municipalities have and the plausibility checks must live with (issue 15): every list
    stronger or weaker by neighbourhood (lognormal, sigma 0.3), in some a village party (one
    list 2-3.5x) and in some a local candidate further down a list (4-10x)."""
    out = []
    for _ in range(TABLE_VARIANTS):
        per_list = [rng.lognormvariate(0, 0.3) for _ in ballot.sizes]
        if rng.random() < 0.4:
            per_list[rng.randrange(len(per_list))] *= rng.uniform(2, 3.5)
        factors = [f for f, k in zip(per_list, ballot.sizes) for _ in range(k)]
        if rng.random() < 0.5:
            lst = rng.randrange(len(ballot.sizes))
            if ballot.sizes[lst] > 2:
                factors[ballot.offsets[lst] + rng.randrange(1, ballot.sizes[lst])] *= rng.uniform(4, 10)
        out.append(factors)
    return out


def station(rng: random.Random, ballot: Ballot, table: Sequence[int], category: str) -> PV:
    eligible = max(450, min(3500, int(rng.lognormvariate(math.log(1400), 0.3))))
    admitted = round(eligible * rng.uniform(0.60, 0.85))
    diff = 0
    if rng.random() < 0.12:
        diff = rng.choice((-2, -1, -1, 1, 1, 2))
        if 100 * abs(diff) >= 2 * (admitted + diff):
            diff = 0
    found = admitted + diff
    limit = three_percent(found)
    blank = min(poisson(rng, 0.003 * found), limit - 1)
    invalid = min(poisson(rng, 0.005 * found), limit - 1)
    valid = found - blank - invalid
    proxies = round(admitted * rng.uniform(0.06, 0.11))
    cards = round(admitted * rng.uniform(0.005, 0.03)) if category != "GR" else 0  # voter cards: not in GR
    counts = {
        "eligible": eligible, "valid": valid, "blank": blank, "invalid": invalid,
        "poll_cards": admitted - proxies - cards, "proxy_certificates": proxies, "voter_cards": cards,
        "admitted": admitted, "more_ballots": max(diff, 0), "fewer_ballots": max(-diff, 0),
        "taken_home": 0, "too_few_issued": 0, "too_many_issued": 0, "no_explanation": 0, "other_explanation": 0,
    }
    for _ in range(abs(diff)):
        counts[rng.choice(EXPLAIN_MORE if diff > 0 else EXPLAIN_FEWER)] += 1
    draws = array.array("H", rng.randbytes(2 * valid))
    if sys.byteorder == "big":  # the same votes on every platform
        draws.byteswap()
    drawn = Counter(map(table.__getitem__, draws))
    vec = list(map(drawn.get, range(ballot.n), itertools.repeat(0, ballot.n)))
    return PV(counts, ballot.list_totals(vec), vec)


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method: fine for the small means used here."""
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def three_percent(h: int) -> int:
    return -(-3 * h // 100)
