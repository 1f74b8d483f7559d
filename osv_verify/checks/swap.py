"""P.LIST_SWAP: two lists' columns exchanged in one station, judged against the stations most
like it (issue 15).

A municipality is not one electorate: villages and neighbourhoods vote differently, and a
station compared with the whole rest of its municipality looks odd for a legitimate reason
(the village party, the local candidate). A swap of two lists' columns (a typist on the wrong
list screen, a PV writer on the wrong list's page) has a precise signature that local
structure does not have:

* the other lists stay put: the stations most like this one on *the other lists* (its
  neighbours) predict what the two lists should have here;
* the two lists move by the same amount in opposite directions: list a has what list b should
  have and b what a should have, so the swapped reading fits both lists, where a local
  favourite fits neither way round;
* each list divides its votes over its candidates in its own way (a leader with 60 %, say),
  and a swapped column carries the other list's division.

For a station and a pair (a, b) the neighbours are the ``list_swap_neighbours`` other
stations closest in the shares of every list except a and b (those shares are the same
whether or not a and b were swapped). Two measures (``looks_swapped`` combines them):

* **totals**: from the neighbours the expected votes E = n x P (P the pooled share of the list
  among them, n the station's votes) and a variance V = n P (1 - P) + n^2 tau^2 (chance plus
  the spread between the neighbours, measured on them). Misfit of a reading = the sum over
  both lists of (votes - E)^2 / V;
* **candidate columns**: each column's division over the positions both lists have (as
  shares of its total) is compared with the neighbours' division of that list (add-one
  smoothed) by the sum of absolute differences, against the local spread (how far the
  neighbours' own columns typically are from it: a village with a local favourite spreads
  widely) and against the gap between the two lists' divisions.

Measured on real stations (benchmarks/plausibility_real.py, docs/plausibility.md); the
totals alone were far weaker than the columns, and a single station-wide likelihood ratio
fired on every village with a local candidate. Everything is exact (integers and fractions).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from osv_verify.core.model import Tally

PPM = 10**6


@dataclass(frozen=True)
class Expectation:
    """What the neighbours predict for one list in the tested station."""

    votes: Fraction  # expected votes E
    variance: Fraction  # V


@dataclass(frozen=True)
class SwapEvidence:
    """Why a pair looks swapped: the published and the expected votes, and the two misfits."""

    a: int
    b: int
    votes_a: int
    votes_b: int
    expected_a: Fraction
    expected_b: Fraction
    misfit_published: Fraction
    misfit_swapped: Fraction
    columns_closer: Fraction  # how much closer the swapped columns are, in units of the local spread
    neighbours: int


@dataclass(frozen=True)
class Columns:
    """Distances (sum of absolute share differences, 0 to 2 per column) of a station's two
    candidate columns from the neighbours' divisions of the two lists."""

    published: Fraction  # column a from a's division + column b from b's
    swapped: Fraction  # column a from b's division + column b from a's
    spread: Fraction  # the same published distance, averaged over the neighbours themselves
    gap: Fraction  # how far the two lists' divisions are apart
    neighbours_best: Fraction  # the largest improvement a neighbour's own columns get from swapping

    @property
    def improvement(self) -> Fraction:
        return self.published - self.swapped


@dataclass(frozen=True)
class Division:
    """How a list divides its votes over positions 1..m: share of position p = counts[p-1] / total."""

    counts: list[int]
    total: int


class Neighbourhoods:
    """The stations of one municipality as list shares, to find each station's neighbours."""

    def __init__(self, units: list[Tally]):
        self.units = [u for u in units if u.id and sum(u.lists.values())]
        self.totals = [sum(u.lists.values()) for u in self.units]
        self.shares = [{k: v * PPM // n for k, v in u.lists.items()} for u, n in zip(self.units, self.totals)]
        self.lists = sorted({k for u in self.units for k in u.lists})
        self.length = {lst: max((_position(k) for u in self.units for k in u.candidates if k[0] == lst), default=0)
                       for lst in self.lists}
        self.columns = [_columns(u) for u in self.units]

    def distances(self, u: Tally) -> list[tuple[list[int], int]]:
        """Per other station: the squared share differences per list (ppm) and their sum."""
        n = sum(u.lists.values())
        mine = {k: u.lists.get(k, 0) * PPM // n for k in self.lists}
        out = []
        for other, shares in zip(self.units, self.shares):
            if other.id == u.id:
                out.append(([], -1))
                continue
            terms = [(mine[k] - shares.get(k, 0)) ** 2 for k in self.lists]
            out.append((terms, sum(terms)))
        return out

    def nearest(self, dist: list[tuple[list[int], int]], a: int, b: int, k: int) -> list[int]:
        """Indexes of the k stations closest on every list except a and b (ties: file order)."""
        ia, ib = self.lists.index(a), self.lists.index(b)
        scored = [(total - terms[ia] - terms[ib], i) for i, (terms, total) in enumerate(dist) if total >= 0]
        return [i for _, i in sorted(scored)[:k]]

    def expect(self, neighbours: list[int], lst: int, n: int) -> Expectation:
        ys = [self.units[i].lists.get(lst, 0) for i in neighbours]
        ns = [self.totals[i] for i in neighbours]
        top, bottom = sum(ys) + 1, sum(ns) + 2  # P = top / bottom; add-one: a list unseen nearby is not impossible
        p = Fraction(top, bottom)
        chance = p * (1 - p)
        # spread = mean over the neighbours of (y/m - P)^2 - P (1 - P) / m, summed as integers:
        # each term is ((y B - A m)^2 - A (B - A) m) / (m B)^2, over the common denominator (L B)^2
        lcm = math.lcm(*ns)
        spread = Fraction(sum(((y * bottom - top * m) ** 2 - top * (bottom - top) * m) * (lcm // m) ** 2
                              for y, m in zip(ys, ns)), (lcm * bottom) ** 2 * len(ns))
        return Expectation(n * p, n * chance + n * n * max(spread, Fraction(0)))


    def column_distances(self, neighbours: list[int], mine: dict[int, dict[int, int]], a: int, b: int
                         ) -> Columns | None:
        """The candidate columns of a and b (``mine``, the station's ``_columns``) over the
        positions both lists have, measured against the neighbours' divisions; None without two
        such positions."""
        m = min(self.length[a], self.length[b])
        if m < 2:
            return None
        qa, qb = self._division(neighbours, a, m), self._division(neighbours, b, m)
        published, swapped = _both_readings(_column(mine, a, m), _column(mine, b, m), qa, qb)
        own, best = Fraction(0), None  # the neighbours' distances, and their best "swap improvement"
        for i in neighbours:
            distance, distance_swapped = _both_readings(_column(self.columns[i], a, m), _column(self.columns[i], b, m),
                                                        qa, qb)
            own += distance
            improvement = distance - distance_swapped
            best = improvement if best is None or improvement > best else best
        return Columns(published, swapped, own / len(neighbours), _l1_shares(qa, qb), best or Fraction(0))

    def _division(self, neighbours: list[int], lst: int, m: int) -> Division:
        sums = [sum(self.columns[i].get(lst, {}).get(p, 0) for i in neighbours) for p in range(1, m + 1)]
        return Division([v + 1 for v in sums], sum(sums) + m)


def _position(key: tuple) -> int:
    return int(key[1]) if key[1] and str(key[1]).isdigit() else 0


def _columns(u: Tally) -> dict[int, dict[int, int]]:
    out: dict[int, dict[int, int]] = {}
    for k, v in u.candidates.items():
        if _position(k):
            out.setdefault(k[0], {})[_position(k)] = v
    return out


def _column(columns: dict[int, dict[int, int]], lst: int, m: int) -> list[int]:
    col = columns.get(lst, {})
    return [col.get(p, 0) for p in range(1, m + 1)]


def _l1_shares(p: Division, q: Division) -> Fraction:
    """Sum of absolute differences between two divisions (0 to 2)."""
    return _l1(p.counts, q)


def _both_readings(ca: list[int], cb: list[int], qa: Division, qb: Division) -> tuple[Fraction, Fraction]:
    """(published, swapped): _l1(ca, qa) + _l1(cb, qb) and _l1(ca, qb) + _l1(cb, qa), exact,
    summed as integers over the common denominator Ta Tb Da Db (an empty column counts 0)."""
    ta, tb = sum(ca) or 1, sum(cb) or 1  # an empty column: every numerator below is then 0
    da, db = qa.total, qb.total
    published = (tb * db * _l1_numerator(ca, ta, qa) + ta * da * _l1_numerator(cb, tb, qb))
    swapped = (tb * da * _l1_numerator(ca, ta, qb) + ta * db * _l1_numerator(cb, tb, qa))
    den = ta * tb * da * db
    return Fraction(published, den), Fraction(swapped, den)


def _l1_numerator(column: list[int], total: int, division: Division) -> int:
    """T D times _l1(column, division), for a column of total T (0 for an all-zero column)."""
    if not any(column):
        return 0
    d = division.total
    return sum(abs(v * d - c * total) for v, c in zip(column, division.counts))


def _l1(column: list[int], division: Division) -> Fraction:
    """Sum of absolute differences between a column's shares and a division (0 to 2), exact:
    |v/T - c/D| = |v D - c T| / (T D), so the sum is one fraction over T D (integers only;
    this runs for every neighbour of every pair, and Fraction per term was the cost)."""
    total = sum(column)
    if not total:
        return Fraction(0)
    d = division.total
    return Fraction(sum(abs(v * d - c * total) for v, c in zip(column, division.counts)), total * d)


def misfit(x: int, e: Expectation) -> Fraction:
    return (x - e.votes) ** 2 / e.variance


def looks_swapped(totals_published: Fraction, totals_swapped: Fraction, columns: Columns, t: SwapSettings) -> bool:
    """The decision, in three routes measured on real stations (docs/plausibility.md):

    * the totals do not speak against the swap, and the swapped candidate columns are closer
      by ``list_swap_column_pct`` % of the local spread, or by ``list_swap_gap_pct`` % of the
      distance between the two lists' divisions (a swap of two lists with very different
      divisions moves each column almost that whole distance), or by that whole distance more
      than any neighbour's own columns would gain from the same swap (a local calibration)
      while closer by at least ``list_swap_calibrated_pct`` % of the distance itself;
    * or the totals clearly favour the swap (misfit at least ``list_swap_totals`` lower, the
      swapped reading fitting within ``list_swap_totals_fit``) and the columns lean the same
      way (closer by ``list_swap_lean_pct`` % of the local spread);
    * or, between the two, one score: the totals favour the swap (their misfit lower by G, the
      swapped reading fitting within ``list_swap_totals_fit``) and G / ``list_swap_trade``
      plus the columns' improvement as a share of the first route's bar
      (``list_swap_column_pct`` % of the local spread) reaches 1: totals evidence lowers the
      column bar in proportion, so a swap that both measures support moderately is named.
    """
    imp = columns.improvement
    if imp <= 0:
        return False
    if totals_swapped <= totals_published and (
            100 * imp >= t.list_swap_column_pct * columns.spread or 100 * imp >= t.list_swap_gap_pct * columns.gap
            or (imp - columns.neighbours_best >= columns.gap and 100 * imp >= t.list_swap_calibrated_pct * columns.gap)):
        return True
    if (totals_published - totals_swapped >= t.list_swap_totals and totals_swapped <= t.list_swap_totals_fit
            and 100 * imp >= t.list_swap_lean_pct * columns.spread):
        return True
    # one score between the two routes: each unit of totals evidence lowers the column bar
    # (list_swap_column_pct % of the local spread) by 1 / list_swap_trade of itself
    gain = totals_published - totals_swapped
    return (gain >= 0 and totals_swapped <= t.list_swap_totals_fit and columns.spread > 0
            and gain / t.list_swap_trade + 100 * imp / (t.list_swap_column_pct * columns.spread) >= 1)


class SwapSettings(Protocol):
    """The P.LIST_SWAP fields of ``plausibility.Thresholds``."""

    list_swap_min_votes: int
    list_swap_neighbours: int
    list_swap_column_pct: int
    list_swap_gap_pct: int
    list_swap_calibrated_pct: int
    list_swap_totals: int
    list_swap_totals_fit: int
    list_swap_lean_pct: int
    list_swap_trade: int


def list_swaps(hoods: Neighbourhoods, u: Tally, t: SwapSettings) -> list[SwapEvidence]:
    """Every pair of lists that looks swapped in station u, most convincing first, each list
    in at most one pair."""
    n = sum(u.lists.values())
    big = sorted(lst for lst, v in u.lists.items() if v >= t.list_swap_min_votes and lst in hoods.lists)
    if n == 0 or len(big) < 2 or len(hoods.units) < 3:
        return []
    dist = hoods.distances(u)
    mine = _columns(u)
    found = []
    for i, a in enumerate(big):
        for b in big[i + 1:]:
            xa, xb = u.lists[a], u.lists[b]
            near = hoods.nearest(dist, a, b, t.list_swap_neighbours)
            ea, eb = hoods.expect(near, a, n), hoods.expect(near, b, n)
            published = misfit(xa, ea) + misfit(xb, eb)
            swapped = misfit(xb, ea) + misfit(xa, eb)
            columns = hoods.column_distances(near, mine, a, b)
            if columns is None or not looks_swapped(published, swapped, columns, t):
                continue
            closer = columns.improvement / columns.spread if columns.spread else Fraction(0)
            found.append(SwapEvidence(a, b, xa, xb, ea.votes, eb.votes, published, swapped, closer, len(near)))
    used: set[int] = set()
    out = []
    for ev in sorted(found, key=lambda e: (-e.columns_closer, e.a, e.b)):
        if ev.a not in used and ev.b not in used:
            used |= {ev.a, ev.b}
            out.append(ev)
    return out
